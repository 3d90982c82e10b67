// The OpenAPI document of /mock, served at GET /mock/openapi.yaml. docs/control-api.yaml holds the same
// bytes (OpenAPITests checks); edit that file, then paste it between the delimiters below.
enum ControlAPIDocument {
    static let yaml = #"""
openapi: 3.0.3
info:
  title: vcd-mock control API
  version: 0.3.0
  description: |
    JSON endpoints under /mock for tests that use vcd-mock: look inside the mock, read its journals and
    steer its clock. Open on loopback. From other addresses: with --control-token (VCD_MOCK_CONTROL_TOKEN)
    send "Authorization: Bearer <token>" (else 401); without it send a system administrator's session token
    (x-vcloud-authorization) (else 403). Errors other than those of /mock/clock and /mock/faults are vCloud Error documents (XML).
    This document is served at GET /mock/openapi.yaml and kept in docs/control-api.yaml.
servers:
  - url: http://127.0.0.1:8080
security:
  - {}
  - controlToken: []
  - vcloudSession: []
paths:
  /mock/health:
    get:
      summary: Readiness and counters (used by the docker healthcheck)
      description: 200 only when fixtures are loaded (at least one org) and the server is serving; 503 otherwise, same body.
      operationId: health
      responses:
        "200":
          description: Ready
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Health" }
        "503":
          description: Not ready (no fixtures loaded)
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Health" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/about:
    get:
      summary: Version, API versions offered, route table, what is not implemented
      operationId: about
      responses:
        "200":
          description: About this mock
          content:
            application/json:
              schema: { $ref: "#/components/schemas/About" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/requests:
    get:
      summary: Journal of handled requests, oldest first
      description: |
        A bounded ring (--journal-size, VCD_MOCK_JOURNAL_SIZE, default 10000); the oldest entries are dropped
        and counted. A request is recorded once answered, so this request is not in its own answer.
      operationId: listRequests
      parameters:
        - { name: method, in: query, schema: { type: string }, description: HTTP method, any case }
        - { name: path, in: query, schema: { type: string }, description: path prefix, e.g. /api/task }
        - { name: status, in: query, schema: { type: string }, description: a status such as 404 or a class such as 4xx }
        - { name: org, in: query, schema: { type: string }, description: org name of the caller, any case }
        - { name: limit, in: query, schema: { type: integer, minimum: 0 }, description: keep only the newest N matches }
      responses:
        "200":
          description: Matching requests
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Requests" }
        "400": { description: A filter value is malformed (vCloud Error document) }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    delete:
      summary: Clear the request journal (and its dropped counter)
      operationId: clearRequests
      responses:
        "204": { description: Cleared }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/messages:
    get:
      summary: Journal of AMQP notification messages, oldest first
      description: |
        Every message the notifier enqueued (XML to the settings' exchange, JSON to <prefix>.notifications20), with
        the event it came from and the publisher's latest word: pending (queued or awaiting its confirm), confirmed,
        returned (unroutable; retried), nacked (retried) or refused (outbox full). A bounded ring
        (--message-journal-size, VCD_MOCK_MESSAGE_JOURNAL_SIZE, default 10000); the oldest are dropped and counted.
      operationId: listMessages
      parameters:
        - { name: routingKey, in: query, schema: { type: string }, description: "substring, or a glob with * and ?" }
        - { name: task, in: query, schema: { type: string }, description: task id (or urn) of task events }
        - { name: org, in: query, schema: { type: string }, description: org id or name, any case }
        - { name: status, in: query, schema: { type: string, enum: [pending, confirmed, returned, nacked, refused] } }
        - { name: exchange, in: query, schema: { type: string }, description: exact exchange name }
        - { name: limit, in: query, schema: { type: integer, minimum: 0 }, description: keep only the newest N matches }
      responses:
        "200":
          description: Matching messages
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Messages" }
        "400": { description: A filter value is malformed (vCloud Error document) }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    delete:
      summary: Clear the message journal (and its dropped counter)
      operationId: clearMessages
      responses:
        "204": { description: Cleared }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/wait:
    get:
      summary: Long-poll until an event, a message or a task status appears
      description: |
        Give exactly one of event, message or taskStatus. What already happened counts: the newest match is
        answered at once. Otherwise the request waits (holding no server thread) until a match appears (200)
        or the timeout passes (408 with {"timedOut": true}). Checked after every recorded event, message status
        change and non-GET request, and every 100 ms.
      operationId: wait
      parameters:
        - { name: event, in: query, schema: { type: string }, description: "event type: full, its tail after a / (task/complete), or a glob (* for any)" }
        - { name: message, in: query, schema: { type: string, enum: [pending, confirmed, returned, nacked, refused, "*"] }, description: status of a journaled message }
        - { name: taskStatus, in: query, schema: { type: string, enum: [queued, preRunning, running, success, error, canceled, aborted] }, description: needs task }
        - { name: task, in: query, schema: { type: string }, description: task id or urn (events, messages, taskStatus) }
        - { name: org, in: query, schema: { type: string }, description: org id or name }
        - { name: routingKey, in: query, schema: { type: string }, description: "with message: substring or glob" }
        - { name: exchange, in: query, schema: { type: string }, description: "with message: exact exchange" }
        - { name: timeout, in: query, schema: { type: number, minimum: 0, maximum: 60, default: 10 }, description: seconds }
      responses:
        "200":
          description: What matched
          content:
            application/json:
              schema: { $ref: "#/components/schemas/WaitMatch" }
        "400": { description: Not exactly one condition, or a malformed value (vCloud Error document) }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
        "408":
          description: Nothing matched within the timeout
          content:
            application/json:
              schema:
                type: object
                properties:
                  timedOut: { type: boolean }
                  timeoutSeconds: { type: number }
  /mock/amqp:
    get:
      summary: AMQP publisher counters
      operationId: amqp
      responses:
        "200":
          description: Publisher statistics
          content:
            application/json:
              schema: { $ref: "#/components/schemas/PublisherStats" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/events:
    get:
      summary: Recorded events of every org, oldest first
      operationId: events
      responses:
        "200":
          description: Events and how many each org dropped by retention
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Events" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/extensions:
    get:
      summary: Extension-service bridge counters
      operationId: extensions
      responses:
        "200":
          description: Bridge statistics
          content:
            application/json:
              schema: { $ref: "#/components/schemas/BridgeStats" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/clock:
    get:
      summary: The clock behind startTime, expiryTime, endTime and event times
      operationId: getClock
      responses:
        "200":
          description: Current time and mode
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Clock" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    post:
      summary: Set, advance or release the clock
      operationId: setClock
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/ClockCommand" }
            examples:
              set: { value: { set: "2024-05-01T10:00:00.000Z" } }
              advance: { value: { advance: "PT5S" } }
              advanceMillis: { value: { advance: 5000 } }
              release: { value: { release: true } }
      responses:
        "200":
          description: The clock after the command
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Clock" }
        "400":
          description: Malformed command
          content:
            application/json:
              schema: { $ref: "#/components/schemas/ClockError" }
        "409":
          description: This server's clock cannot be controlled
          content:
            application/json:
              schema: { $ref: "#/components/schemas/ClockError" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/reset:
    post:
      summary: Back to the loaded fixtures
      description: |
        Orgs, users, inventory, metadata, tasks, services and filters as loaded (at start, by PUT /mock/state
        or added by POST /mock/fixtures); events and sessions cleared; AMQP and notification settings back to
        their start values.
      operationId: reset
      responses:
        "200":
          description: Reset; counts after it
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Reset" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/orgs/{name}/reset:
    post:
      summary: One org back to its fixture, others untouched
      description: |
        The org's users, inventory, metadata, tasks and events as loaded; sessions of its users end. Other orgs,
        services and settings are not touched, so parallel test suites can each own an org.
      operationId: resetOrg
      parameters:
        - { name: name, in: path, required: true, schema: { type: string }, description: org name, any case }
      responses:
        "200":
          description: Reset
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Reset" }
        "404": { description: No org of that name in the loaded fixtures (vCloud Error document) }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/state:
    get:
      summary: The whole state in the fixture YAML format (Fixtures/README.md)
      description: Orgs with users, inventory, metadata, tasks and events; services with filters; settings (AMQP, notifications).
      operationId: getState
      responses:
        "200":
          description: Fixture YAML; PUT it back or load it with --fixtures
          content:
            application/yaml:
              schema: { type: string }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    put:
      summary: Replace the whole state
      description: |
        The body is fixture YAML, validated in full before anything changes. Sessions end; the new state is what
        POST /mock/reset goes back to; settings, when given, replace the AMQP and notification settings.
      operationId: putState
      requestBody:
        required: true
        content:
          application/yaml:
            schema: { type: string }
      responses:
        "200":
          description: Replaced; counts after it
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Reset" }
        "400": { description: "Invalid fixtures, e.g. body:12: role 'admin' is unknown (vCloud Error document); state untouched" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/fixtures:
    post:
      summary: Add fixture orgs (and services) at runtime
      description: |
        The body is fixture YAML without an org System. All or nothing: an org name, or an org, user, inventory,
        task or service id, or a service namespace already in use answers 409 and nothing is added. Added orgs
        join what POST /mock/reset goes back to.
      operationId: addFixtures
      requestBody:
        required: true
        content:
          application/yaml:
            schema: { type: string }
      responses:
        "201":
          description: Added
          content:
            application/json:
              schema:
                type: object
                properties:
                  added: { type: array, items: { type: string } }
                  services: { type: array, items: { type: string } }
                  counts: { type: object, additionalProperties: { type: integer } }
        "400": { description: Invalid fixtures, with file:line (vCloud Error document) }
        "409": { description: A name or id is already in use (vCloud Error document); nothing added }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/faults:
    get:
      summary: Fault rules, in the order they apply, with how often each fired
      operationId: listFaults
      responses:
        "200":
          description: All rules
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Faults" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    post:
      summary: Add a fault rule
      description: |
        A rule matches requests by method, pathPattern (a regular expression matching the whole path) and org
        (id or name of the caller's org or of an org in the path); all given must fit. It has exactly one
        effect: status (a vCloud Error document with that status), latencyMs (the normal answer, that much
        later), drop (the connection is closed without a response), or amqp - "nack" (the next publish
        confirm counts as a nack and the message is retried) or "dropConnection" (the publisher's broker
        connection is dropped once; it reconnects and sends unconfirmed messages again). The first matching
        rule that passes its probability (0..1, default 1) and is under its maxCount (default unlimited)
        applies. Fields may also be grouped as {"match": {...}, "effect": {...}}. /mock/* is never affected.
      operationId: addFault
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/FaultRule" }
            examples:
              status: { value: { method: GET, pathPattern: "/api/org/.*", status: 503, minorErrorCode: BUSY, maxCount: 2 } }
              latency: { value: { org: acme, latencyMs: 1500, probability: 0.5 } }
              drop: { value: { pathPattern: /api/session, drop: true } }
              amqpNack: { value: { method: POST, pathPattern: "/api/tasksList/.*", amqp: nack, maxCount: 1 } }
      responses:
        "201":
          description: The rule as listed
          content:
            application/json:
              schema: { $ref: "#/components/schemas/FaultRule" }
        "400":
          description: Invalid rule
          content:
            application/json:
              schema: { $ref: "#/components/schemas/ClockError" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
    delete:
      summary: Remove every fault rule
      operationId: clearFaults
      responses:
        "204": { description: Removed }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/faults/{id}:
    delete:
      summary: Remove one fault rule
      operationId: deleteFault
      parameters:
        - { name: id, in: path, required: true, schema: { type: string }, example: fault-1 }
      responses:
        "204": { description: Removed }
        "404":
          description: No such rule
          content:
            application/json:
              schema: { $ref: "#/components/schemas/ClockError" }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
  /mock/openapi.yaml:
    get:
      summary: This document
      operationId: openapi
      responses:
        "200":
          description: OpenAPI 3.0 document of /mock
          content:
            application/yaml:
              schema: { type: string }
        "401": { $ref: "#/components/responses/NeedsControlToken" }
        "403": { $ref: "#/components/responses/Forbidden" }
components:
  securitySchemes:
    controlToken:
      type: http
      scheme: bearer
      description: the --control-token value (only checked for non-loopback clients)
    vcloudSession:
      type: apiKey
      in: header
      name: x-vcloud-authorization
      description: a system administrator's session token (non-loopback clients, when no --control-token is set)
  responses:
    NeedsControlToken:
      description: Non-loopback client without the right "Authorization Bearer" control token (vCloud Error document)
    Forbidden:
      description: Non-loopback client without a system administrator's session (vCloud Error document)
  schemas:
    Health:
      type: object
      required: [status, fixturesLoaded, serving, counts, amqp, extensions]
      properties:
        status: { type: string, enum: [ok, unavailable] }
        fixturesLoaded: { type: boolean }
        serving: { type: boolean }
        counts:
          type: object
          description: entities held now
          properties:
            orgs: { type: integer }
            users: { type: integer }
            tasks: { type: integer }
            sessions: { type: integer }
            services: { type: integer }
            events: { type: integer }
        amqp:
          type: object
          properties:
            configured: { type: boolean }
            notificationsEnabled: { type: boolean }
            connected: { type: boolean }
            outboxDepth: { type: integer }
            outboxCapacity: { type: integer }
            unconfirmed: { type: integer }
            returned: { type: integer }
            nacked: { type: integer }
            refused: { type: integer }
            lastError: { type: string, nullable: true }
        extensions: { $ref: "#/components/schemas/BridgeStats" }
    About:
      type: object
      required: [version, apiVersions, routes, notImplemented]
      properties:
        version: { type: string, example: 0.3.0 }
        apiVersions: { type: array, items: { type: string }, example: ["1.5", "5.1", "5.5"] }
        routes:
          type: array
          items:
            type: object
            properties:
              method: { type: string }
              pattern: { type: string, example: "/api/task/{id}" }
              handler: { type: string, example: Tasks.get }
        notImplemented: { type: array, items: { type: string } }
    Requests:
      type: object
      required: [requests, kept, dropped, capacity]
      properties:
        requests:
          type: array
          items: { $ref: "#/components/schemas/JournalEntry" }
        kept: { type: integer, description: entries held now, before filters }
        dropped: { type: integer, description: entries dropped by the bound since the last clear }
        capacity: { type: integer }
    JournalEntry:
      type: object
      properties:
        time: { type: string, format: date-time }
        method: { type: string }
        path: { type: string, description: as sent, still percent-encoded }
        query: { type: string, nullable: true }
        status: { type: integer }
        durationMicros: { type: integer }
        org: { type: string, nullable: true, description: the caller's org name when a session was used }
        user: { type: string, nullable: true }
        requestId: { type: string, description: the X-VMWARE-VCLOUD-REQUEST-ID header sent }
    Messages:
      type: object
      required: [messages, kept, dropped, capacity]
      properties:
        messages:
          type: array
          items: { $ref: "#/components/schemas/Message" }
        kept: { type: integer, description: entries held now, before filters }
        dropped: { type: integer, description: entries dropped by the bound since the last clear }
        capacity: { type: integer }
    Message:
      type: object
      properties:
        time: { type: string, format: date-time, description: the event's time }
        messageId: { type: string, description: AMQP message_id (the event id; the same on both exchanges) }
        exchange: { type: string }
        routingKey: { type: string }
        contentType: { type: string }
        status: { type: string, enum: [pending, confirmed, returned, nacked, refused], description: the latest }
        attempts: { type: integer, description: times sent to the broker }
        headers: { type: object, additionalProperties: { type: string } }
        body: { type: string }
        bodyEncoding: { type: string, enum: [utf8, base64] }
        eventId: { type: string }
        eventType: { type: string }
        org: { type: string, description: org id }
        orgName: { type: string }
        taskId: { type: string, nullable: true, description: for task events }
    WaitMatch:
      type: object
      properties:
        matched: { type: string, enum: [event, message, task] }
        event: { type: object, description: as in GET /mock/events }
        message: { $ref: "#/components/schemas/Message" }
        task:
          type: object
          properties:
            id: { type: string }
            name: { type: string }
            status: { type: string }
            org: { type: string }
            operationName: { type: string }
    PublisherStats:
      type: object
      properties:
        connected: { type: boolean }
        endpoint: { type: string, nullable: true }
        outboxDepth: { type: integer }
        outboxCapacity: { type: integer }
        unconfirmed: { type: integer }
        published: { type: integer }
        confirmed: { type: integer }
        returned: { type: integer }
        nacked: { type: integer }
        refused: { type: integer }
        reconnects: { type: integer }
        lastError: { type: string, nullable: true }
    BridgeStats:
      type: object
      properties:
        forwarded: { type: integer }
        replied: { type: integer }
        timedOut: { type: integer }
        lateReplies: { type: integer }
        unknownReplies: { type: integer }
        malformedReplies: { type: integer }
        exchangeMissing: { type: integer }
        brokerUnavailable: { type: integer }
        pending: { type: integer }
        connected: { type: boolean }
        replyQueue: { type: string }
        timeoutSeconds: { type: number }
    Events:
      type: object
      properties:
        events:
          type: array
          items:
            type: object
            properties:
              eventId: { type: string }
              type: { type: string }
              typeFull: { type: string }
              serviceNamespace: { type: string }
              timestamp: { type: string, format: date-time }
              org: { type: string }
              orgName: { type: string }
              user: { type: string }
              success: { type: boolean }
              entity: { type: string, nullable: true }
              operationName: { type: string, nullable: true }
        dropped:
          type: object
          additionalProperties: { type: integer }
    Reset:
      type: object
      properties:
        reset: { type: string, description: all, replaced, or the org name }
        counts: { type: object, nullable: true, additionalProperties: { type: integer } }
    Clock:
      type: object
      required: [now, mode]
      properties:
        now: { type: string, format: date-time }
        mode: { type: string, enum: [fixed, real] }
    ClockCommand:
      type: object
      description: exactly one of set, advance, release
      properties:
        set: { type: string, format: date-time }
        advance:
          oneOf:
            - { type: string, description: ISO 8601 duration such as PT5S }
            - { type: integer, description: milliseconds }
        release: { type: boolean, enum: [true] }
    ClockError:
      type: object
      properties:
        error: { type: string }
    Faults:
      type: object
      properties:
        faults: { type: array, items: { $ref: "#/components/schemas/FaultRule" } }
    FaultRule:
      type: object
      description: a match (all optional) and exactly one effect (status, latencyMs, drop or amqp)
      properties:
        id: { type: string, readOnly: true, example: fault-1 }
        method: { type: string, example: GET }
        pathPattern: { type: string, description: regular expression matching the whole path }
        org: { type: string, description: org id or name (caller's or in the path) }
        status: { type: integer, minimum: 400, maximum: 599 }
        minorErrorCode: { type: string }
        message: { type: string }
        latencyMs: { type: integer, minimum: 0, maximum: 600000 }
        drop: { type: boolean, enum: [true] }
        amqp: { type: string, enum: [nack, dropConnection] }
        probability: { type: number, minimum: 0, maximum: 1, default: 1 }
        maxCount: { type: integer, minimum: 0, nullable: true, description: unlimited when absent }
        hits: { type: integer, readOnly: true, description: how often the rule fired }

"""#
}
