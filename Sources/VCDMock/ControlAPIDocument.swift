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
    (x-vcloud-authorization) (else 403). Errors other than those of /mock/clock are vCloud Error documents (XML).
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

"""#
}
