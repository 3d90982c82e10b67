"""The extension-service request/reply loop (reference §5.2–§5.7, §11), end to end.

The real vcd-mock binary forwards matching HTTP requests over the real broker to a fake extension (or to
examples/backup_extension.py) and relays the replies. Every test registers its own services on its own
server, declares its own uniquely named exchanges and queues, and removes them afterwards.
"""

import base64
import json
import random
import time
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest

import extension_support as ext
import support
from support import ACME_ORG_ID, TASK_COMPLETE, TASK_CREATE, VCLOUD_NS, XML_EXCHANGE

BACKUPS = '/api/org/%s/backups' % ACME_ORG_ID
BACKUPS_PATTERN = '/api/org/[^/]+/backups(/.*)?'
# Matches whether the server matches the path alone (reference §5.4) or the path with its query.
ECHO_PATTERN = r'/api/org/[^/]+/echo[^?]*(\?.*)?'
REQUEST_FIELDS = ('id', 'method', 'scheme', 'protocol', 'requestUri', 'queryString', 'headers', 'body',
                  'localAddr', 'localPort', 'remoteAddr', 'remotePort', 'request')


@pytest.fixture
def services(vcd):
    """services.register(srv, admin, ...) -> Service; every one is DELETEd (best effort) before the server stops."""
    made = []

    class Registry:
        def register(self, srv, admin, *args, **kw):
            svc = ext.register(srv, admin, *args, **kw)
            made.append((srv, admin, svc))
            return svc

    yield Registry()
    for srv, admin, svc in made:
        try:
            srv.request('DELETE', svc.href, token=admin.token)   # a test may have deleted it already
        except Exception:  # noqa: BLE001
            pass


@pytest.fixture
def extensions(amqp_url):
    """extensions(exchange=None, routing_key=None, handler=None, consume=True) -> ext.Extension; all closed,
    their queues and exchanges deleted, at teardown. Handler errors fail the test there."""
    made = []

    def make(exchange=None, routing_key=None, handler=None, consume=True):
        e = ext.Extension(amqp_url, exchange or ext.unique('vcd-mock-test-ex'), routing_key or ext.unique('key'),
                          handler=handler, consume=consume)
        made.append(e)
        return e

    yield make
    errors = []
    for e in made:
        with e.lock:
            errors += e.errors
        e.close()
    assert not errors, 'fake extension errors: %s' % '; '.join(errors)


def setup_server(vcd, broker, *flags):
    srv = vcd(*flags)
    ext.wait_ready(srv, broker)
    return srv, srv.login(), srv.login('alice', 'acme', 'alice')


def reply_with(status, body=b'', content_type='text/plain'):
    def handler(e, msg):
        e.reply(msg, status, body, {'Content-Type': content_type})
    return handler


# --------------------------------------------------------------------------------------------------------
# a. The seed flow with the example extension
# --------------------------------------------------------------------------------------------------------

def test_seed_flow_with_example_extension(vcd, broker, consumer, services):
    srv, admin, alice = setup_server(vcd, broker)
    notes = consumer(exchanges=(XML_EXCHANGE,))          # bound before anything happens
    services.register(srv, admin, 'backup', 'vcdext', 'backup', [BACKUPS_PATTERN], namespace='org.example.vcd.backup')
    example = ext.ExampleProcess('--amqp-url', broker.url, '--vcd-url', srv.base, '--once', '--delay', '0.5')
    try:
        example.wait_ready()
        r, secs = ext.call(srv, 'POST', BACKUPS, token=alice.token, timeout=15, data=b'<BackupParams/>',
                           headers={'Content-Type': 'application/vnd.example.backupParams+xml'})
        assert r.status_code == 202, 'POST %s as alice answered %d after %.1f s, expected 202 from the example: %s\n' \
            'example output:\n%s' % (BACKUPS, r.status_code, secs, r.text[:800], example.output())
        ct = r.headers.get('Content-Type', '')
        assert ct.startswith(support.TASK_TYPE), 'reply Content-Type %r, expected %s;version=5.5' % (ct, support.TASK_TYPE)
        task = ET.fromstring(r.content)
        assert task.tag == '{%s}Task' % VCLOUD_NS, 'reply body root %s, expected Task: %s' % (task.tag, r.text[:800])
        tid = support.uuid_of(task.get('id') or '')
        assert (task.get('id') or '').startswith('urn:vcloud:task:'), 'Task id %r' % task.get('id')
        for attr, want in (('status', 'running'), ('serviceNamespace', 'org.example.vcd.backup'),
                           ('operationName', 'backup'),
                           ('operation', 'Backup requested by urn:vcloud:user:%s' % alice.user_id)):
            assert task.get(attr) == want, 'Task@%s=%r, expected %r' % (attr, task.get(attr), want)

        def status():
            t = ET.fromstring(srv.expect(200, 'GET', '/api/task/%s' % tid, token=alice.token).content)
            return t if t.get('status') == 'success' else None
        done = support.wait_until(status, 20, 'alice polls task %s to success' % tid, interval=0.2)
        progress = done.find('{%s}Progress' % VCLOUD_NS)
        assert progress is not None and progress.text.strip() == '100', 'finished task Progress=%r' % (
            None if progress is None else progress.text)

        found = notes.wait_for(lambda _: (lambda c, d: (c[0], d[0]) if c and d else None)(
            notes.find(TASK_CREATE, tid, XML_EXCHANGE), notes.find(TASK_COMPLETE, tid, XML_EXCHANGE)),
            20, 'task/create and task/complete notifications for task %s' % tid)
        problems = []
        for m, type_ in zip(found, (TASK_CREATE, TASK_COMPLETE)):
            problems += ['%s: %s' % (type_, p) for p in support.check_notification(
                m, type_=type_, entity_kind='task', entity_uuid=tid, org_uuid=ACME_ORG_ID, user_uuid=admin.user_id,
                success=True, suffix='backup')]
        assert not problems, 'notifications of the example\'s task:\n  ' + '\n  '.join(problems)

        rc = example.wait_exit(15)
        assert rc == 0, 'example exited with %d:\n%s' % (rc, example.output())
        st = ext.extension_status(srv)
        assert st['forwarded'] == 1 and st['replied'] == 1 and st['pending'] == 0, 'GET /mock/extensions: %r' % st
    finally:
        example.stop()
        try:
            broker.delete_queue('backup')                # auto_delete normally took it already
            broker.delete_exchanges('vcdext')
        except Exception:  # noqa: BLE001 - best effort
            pass


# --------------------------------------------------------------------------------------------------------
# b. Timeouts, and waiting requests hold no HTTP worker
# --------------------------------------------------------------------------------------------------------

def test_no_reply_gives_504_gateway_timeout(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '2')
    e = extensions(consume=False)                        # exchange and bound queue exist; nobody consumes
    svc = services.register(srv, admin, 'silent', e.exchange, e.routing_key, [BACKUPS_PATTERN])
    r, secs = ext.call(srv, 'POST', BACKUPS, token=alice.token, timeout=10)
    err = ext.expect_error(r, 504, 'GATEWAY_TIMEOUT', 'request to a service that never replies')
    assert svc.name in err.get('message', ''), 'the 504 message %r does not name the service %r' % (err.get('message'), svc.name)
    assert 1.9 <= secs <= 5.0, '504 came after %.2f s; expected the 2 s timeout (within 2..5 s)' % secs
    queued = e.run(lambda: e.ch.queue_declare(e.queue, passive=True).method.message_count)
    assert queued == 1, 'the service queue holds %d message(s); expected the 1 forwarded request' % queued
    st = ext.extension_status(srv)
    assert st['timedOut'] == 1 and st['pending'] == 0, 'GET /mock/extensions after one timeout: %r' % st


def test_waiting_requests_hold_no_worker(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '2', '--threads', '2')
    e = extensions(consume=False)
    services.register(srv, admin, 'slow', e.exchange, e.routing_key, [BACKUPS_PATTERN])
    n = 6                                                # three times the worker threads
    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(ext.call, srv, 'GET', '%s/%d' % (BACKUPS, i), alice.token, 15) for i in range(n)]

        def all_pending():
            r = ext.call(srv, 'GET', '/mock/extensions', timeout=1, headers={'Accept': 'application/json'})[0]
            return r.json().get('pending') == n
        support.wait_until(all_pending, 1.5, '%d forwarded requests pending in /mock/extensions (a worker answers it)' % n,
                           interval=0.02)
        timings = []
        for _ in range(3):
            r, secs = ext.call(srv, 'GET', '/api/versions', timeout=2, headers={'Accept': 'application/*+xml'})
            assert r.status_code == 200, 'GET /api/versions answered %d while requests waited' % r.status_code
            timings.append(secs)
        still_waiting = sum(not f.done() for f in futures)
        # The proof is the order (answered while all n still wait, on a pool of 2); the bound only has to stay
        # under the 2 s extension timeout that would free a blocked worker.
        assert max(timings) < 1.5, 'GET /api/versions took %s s while %d forwarded requests waited (limit 1.5 s): ' \
            'waiting requests hold HTTP workers' % (['%.3f' % t for t in timings], still_waiting)
        assert still_waiting == n, 'only %d of %d forwarded requests were still waiting when /api/versions ' \
            'was timed; the measurement proves nothing' % (still_waiting, n)
        results = [f.result() for f in futures]
    for i, (r, secs) in enumerate(results):
        ext.expect_error(r, 504, 'GATEWAY_TIMEOUT', 'waiting request %d' % i)
        assert 1.9 <= secs <= 5.0, 'waiting request %d got its 504 after %.2f s (timeout 2 s)' % (i, secs)
    e.check()


# --------------------------------------------------------------------------------------------------------
# c. Many concurrent requests, replies in random order
# --------------------------------------------------------------------------------------------------------

def test_concurrent_requests_get_their_own_replies(vcd, broker, services, extensions):
    n = 200
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '30')
    batch = []

    def collect_then_shuffle(e, msg):                   # consumer thread: gather all, answer in random order
        batch.append(msg)
        if len(batch) < n:
            return
        order = list(batch)
        random.shuffle(order)
        for m in order:
            echo = {'id': m.id, 'marker': m.header('X-Marker'), 'requestUri': m.request.get('requestUri')}
            e.reply(m, 200, json.dumps(echo).encode(), {'Content-Type': 'application/json', 'X-Request-Id-Echo': m.id})

    e = extensions(handler=collect_then_shuffle)
    services.register(srv, admin, 'echo', e.exchange, e.routing_key, [BACKUPS_PATTERN])

    def client(i):
        return ext.call(srv, 'GET', '%s/%d' % (BACKUPS, i), alice.token, 45, headers={'X-Marker': str(i)})

    t0 = time.monotonic()
    with ThreadPoolExecutor(n) as pool:
        futures = [pool.submit(client, i) for i in range(n)]
        e.wait_messages(n, 25, '%d concurrent forwarded requests' % n)
        results = [f.result() for f in futures]
    elapsed = time.monotonic() - t0

    problems, ids = [], []
    for i, (r, _) in enumerate(results):
        if r.status_code != 200:
            problems.append('client %d: %d %s' % (i, r.status_code, r.text[:200]))
            continue
        try:
            echo = r.json()
        except ValueError:
            problems.append('client %d: body is not the echo JSON: %r' % (i, r.content[:200]))
            continue
        if echo.get('marker') != str(i) or echo.get('requestUri') != '%s/%d' % (BACKUPS, i):
            problems.append('client %d got the reply for marker %r uri %r' % (i, echo.get('marker'), echo.get('requestUri')))
        if r.headers.get('X-Request-Id-Echo') != echo.get('id'):
            problems.append('client %d: reply header X-Request-Id-Echo %r != body id %r'
                            % (i, r.headers.get('X-Request-Id-Echo'), echo.get('id')))
        ids.append(echo.get('id'))
    for m in e.messages:
        if m.props.correlation_id != m.id:
            problems.append('message correlation_id %r != request id %r' % (m.props.correlation_id, m.id))
    if len(set(ids)) != len(ids):
        problems.append('%d duplicate request id(s) among the replies' % (len(ids) - len(set(ids))))
    assert not problems, '%d problem(s) with %d concurrent requests:\n  %s' % (len(problems), n, '\n  '.join(problems[:30]))
    st = ext.extension_status(srv)
    assert st['forwarded'] == n and st['replied'] == n and st['pending'] == 0, 'GET /mock/extensions: %r' % st
    print('%d concurrent forwarded requests answered in random order in %.2f s' % (n, elapsed))


# --------------------------------------------------------------------------------------------------------
# d. What the request message carries, byte for byte
# --------------------------------------------------------------------------------------------------------

BINARY = bytes(range(256))


def fidelity_handler(e, msg):
    if msg.request.get('method') == 'POST':
        e.reply(msg, 201, BINARY[::-1], {'Content-Type': 'application/octet-stream', 'X-Reply-Header': 'Yes'})
    else:
        e.reply(msg, 200, b'plain reply', {'Content-Type': 'text/plain'})


def message_problems(srv, alice, e, m, method, uri, query, body):
    problems = []

    def want(cond, text):
        if not cond:
            problems.append(text)

    req, ctx = m.request, m.ctx
    missing = [k for k in REQUEST_FIELDS if k not in req]
    want(not missing, 'request object lacks %s' % missing)
    want(m.exchange == e.exchange and m.routing_key == e.routing_key,
         'published to %r/%r, expected %r/%r' % (m.exchange, m.routing_key, e.exchange, e.routing_key))
    want(isinstance(req.get('id'), str) and req.get('id'), 'id=%r' % req.get('id'))
    want(m.props.correlation_id == req.get('id'), 'correlation_id %r != id %r' % (m.props.correlation_id, req.get('id')))
    want(bool(m.props.reply_to), 'no reply_to property')
    h = m.amqp_headers
    want(h.get('messageType') == 'ProcessHttpRequest', 'AMQP header messageType=%r' % h.get('messageType'))
    want(h.get('replyToExchange') == ext.REPLY_EXCHANGE, 'AMQP header replyToExchange=%r' % h.get('replyToExchange'))
    want(req.get('method') == method, 'method=%r, expected %r' % (req.get('method'), method))
    want(req.get('requestUri') == uri, 'requestUri=%r, expected %r' % (req.get('requestUri'), uri))
    want(req.get('queryString') == query, 'queryString=%r, expected %r' % (req.get('queryString'), query))
    want(req.get('request') is True, 'request=%r, expected true' % req.get('request'))
    want(req.get('scheme') == 'http', 'scheme=%r, expected http' % req.get('scheme'))
    want(isinstance(req.get('protocol'), str) and req['protocol'].startswith('HTTP/1.'), 'protocol=%r' % req.get('protocol'))
    port = int(srv.base.rsplit(':', 1)[1])
    want(req.get('localAddr') == '127.0.0.1' and req.get('localPort') == port,
         'local %r:%r, expected 127.0.0.1:%d' % (req.get('localAddr'), req.get('localPort'), port))
    want(req.get('remoteAddr') == '127.0.0.1' and isinstance(req.get('remotePort'), int) and req['remotePort'] > 0,
         'remote %r:%r' % (req.get('remoteAddr'), req.get('remotePort')))
    want(m.header('x-vcloud-authorization') == alice.token,
         'headers["x-vcloud-authorization"]=%r, expected the caller\'s token unchanged' % m.header('x-vcloud-authorization'))
    want(m.header('Accept') == support.ACCEPT, 'headers["Accept"]=%r' % m.header('Accept'))
    want(isinstance(req.get('body'), str), 'body=%r is not a string' % req.get('body'))
    try:
        got = m.body_bytes()
        want(got == body, 'body decodes to %d byte(s) %r..., expected %d byte(s) %r...' % (len(got), got[:16], len(body), body[:16]))
    except Exception as ex:  # noqa: BLE001
        problems.append('body %r is not Base64: %s' % (req.get('body'), ex))
    want(ctx.get('user') == 'urn:vcloud:user:%s' % alice.user_id, 'securityContext user=%r' % ctx.get('user'))
    want(ctx.get('org') == 'urn:vcloud:org:%s' % ACME_ORG_ID, 'securityContext org=%r' % ctx.get('org'))
    want(isinstance(ctx.get('rights'), list), 'securityContext rights=%r is not a list' % ctx.get('rights'))
    return problems


def test_request_message_is_faithful(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker)
    e = extensions(handler=fidelity_handler)
    services.register(srv, admin, 'echo', e.exchange, e.routing_key, [ECHO_PATTERN])

    # GET with a query string, custom header casing and no body.
    path = '/api/org/%s/echo' % ACME_ORG_ID
    r, _ = ext.call(srv, 'GET', path + '?a=1&b=two%20words', alice.token,
                    headers={'X-Custom-Header': 'Abc', 'x-lower': 'v'})
    assert r.status_code == 200 and r.content == b'plain reply', \
        'forwarded GET answered %d %r, expected 200 b"plain reply"' % (r.status_code, r.content[:300])
    assert r.headers.get('Content-Type', '').startswith('text/plain'), 'reply Content-Type %r' % r.headers.get('Content-Type')
    m = e.wait_messages(1, 5)[0]
    problems = message_problems(srv, alice, e, m, 'GET', path, 'a=1&b=two%20words', b'')
    names = list((m.request.get('headers') or {}).keys())
    if m.header('X-Custom-Header') != 'Abc':
        problems.append('headers["X-Custom-Header"]=%r, expected "Abc" under that exact name (names: %s)'
                        % (m.header('X-Custom-Header'), names))
    if m.header('x-lower') != 'v':
        problems.append('headers["x-lower"]=%r, expected "v" under that exact name (names: %s)' % (m.header('x-lower'), names))
    if m.request.get('body') != '':
        problems.append('body=%r for an empty request, expected ""' % m.request.get('body'))
    assert not problems, 'GET request message:\n  %s\n%s' % ('\n  '.join(problems), m.describe())

    # POST with every byte value; the reply's binary body comes back byte for byte.
    r, _ = ext.call(srv, 'POST', path + '/bin', alice.token, data=BINARY,
                    headers={'Content-Type': 'application/octet-stream'})
    assert r.status_code == 201, 'forwarded POST answered %d, expected the reply\'s 201: %r' % (r.status_code, r.content[:300])
    assert r.content == BINARY[::-1], 'reply body arrived as %d byte(s) %r..., expected bytes 255..0' % (len(r.content), r.content[:16])
    assert r.headers.get('Content-Type') == 'application/octet-stream', 'reply Content-Type %r' % r.headers.get('Content-Type')
    assert r.headers.get('X-Reply-Header') == 'Yes', 'reply header X-Reply-Header=%r, expected "Yes"' % r.headers.get('X-Reply-Header')
    m = e.wait_messages(2, 5)[1]
    problems = message_problems(srv, alice, e, m, 'POST', path + '/bin', None, BINARY)
    if m.header('Content-Type') != 'application/octet-stream':
        problems.append('headers["Content-Type"]=%r' % m.header('Content-Type'))
    assert not problems, 'POST request message:\n  %s\n%s' % ('\n  '.join(problems), m.describe())
    assert len(e.messages) == 2, '%d request messages for 2 requests' % len(e.messages)


# --------------------------------------------------------------------------------------------------------
# e. Disable, filter removal, re-enable
# --------------------------------------------------------------------------------------------------------

def test_disabled_service_and_removed_filter_fall_back_to_local(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker)
    e = extensions(handler=reply_with(200, b'forwarded'))
    svc = services.register(srv, admin, 'toggle', e.exchange, e.routing_key, ['/api/org/[^/]+/unused'])
    forwarded = []

    def expect_forwarded(when):
        r, _ = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15)
        assert r.status_code == 200 and r.content == b'forwarded', \
            '%s: GET %s answered %d %r, expected the extension\'s 200 "forwarded"' % (when, BACKUPS, r.status_code, r.text[:400])
        forwarded.append(when)
        e.wait_messages(len(forwarded), 5, when)

    def expect_local(when):
        r, _ = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15)
        ext.expect_error(r, 404, 'RESOURCE_NOT_FOUND', '%s: GET %s (handled by the mock itself)' % (when, BACKUPS))

    expect_local('no filter matches yet')
    filter_href = ext.add_filter(srv, admin, svc, BACKUPS_PATTERN)
    expect_forwarded('after adding the filter')
    ext.set_enabled(srv, admin, svc, False, content_type=True)
    expect_local('service disabled')
    ext.set_enabled(srv, admin, svc, True, content_type=False)   # pyvcloud sends no Content-Type
    expect_forwarded('service re-enabled')
    ext.delete_filter(srv, admin, filter_href)
    expect_local('filter deleted')
    ext.add_filter(srv, admin, svc, BACKUPS_PATTERN)
    expect_forwarded('filter added again')
    ext.delete_service(srv, admin, svc)
    expect_local('service deleted')
    # No sleep before the negative check: the server counts what it forwarded when it forwards it, and every
    # request above has been answered, so its count is final; the extension has each of those (waited for).
    st = ext.extension_status(srv)
    assert st['forwarded'] == len(forwarded), 'the server forwarded %d request(s), expected %d (%s): %r' % (
        st['forwarded'], len(forwarded), forwarded, st)
    assert len(e.messages) == len(forwarded), '%d request messages reached the extension, expected %d (%s)' % (
        len(e.messages), len(forwarded), forwarded)


# --------------------------------------------------------------------------------------------------------
# f. Failures: malformed replies, missing exchange, late and unknown replies
# --------------------------------------------------------------------------------------------------------

def malformed_handler(e, msg):
    mode = msg.header('X-Mode')
    ok_body = base64.b64encode(b'fine').decode()
    raw = {
        'notjson': b'this is not JSON {',
        'nostatus': json.dumps({'id': msg.id, 'headers': {}, 'body': ok_body, 'request': False}).encode(),
        'badbase64': json.dumps({'id': msg.id, 'statusCode': 200, 'headers': {'Content-Type': 'text/plain'},
                                 'body': '***not base64***', 'request': False}).encode(),
    }.get(mode)
    if raw is None:
        e.reply(msg, 200, b'fine', {'Content-Type': 'text/plain'})
    else:
        e.reply(msg, 0, raw=raw)


def test_malformed_replies_give_502(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '5')
    e = extensions(handler=malformed_handler)
    services.register(srv, admin, 'sloppy', e.exchange, e.routing_key, [BACKUPS_PATTERN])
    for mode in ('notjson', 'nostatus', 'badbase64'):
        r, secs = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15, headers={'X-Mode': mode})
        ext.expect_error(r, 502, None, 'reply %s' % mode)
        assert secs < 4, 'reply %s: the 502 took %.1f s (the malformed reply should end the wait at once)' % (mode, secs)
    r, _ = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15)
    assert r.status_code == 200 and r.content == b'fine', 'a good reply after malformed ones: %d %r' % (r.status_code, r.content[:300])
    st = ext.extension_status(srv)
    assert st['malformedReplies'] == 3 and st['replied'] >= 1 and st['pending'] == 0, 'GET /mock/extensions: %r' % st


def test_missing_exchange_gives_500(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '5')
    missing = ext.unique('vcd-mock-test-missing')
    assert not broker.exchange_exists(missing)
    services.register(srv, admin, 'nowhere', missing, 'nowhere', [BACKUPS_PATTERN])
    good = extensions(handler=reply_with(200, b'still fine'))
    services.register(srv, admin, 'good', good.exchange, good.routing_key, ['/api/org/[^/]+/good'])

    r, secs = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15)
    ext.expect_error(r, 500, None, 'request for a service whose exchange %s does not exist' % missing)
    assert secs < 4, 'the 500 took %.1f s; a missing exchange should fail at once, not time out' % secs
    r, _ = ext.call(srv, 'GET', '/api/org/%s/good' % ACME_ORG_ID, alice.token, timeout=15)
    assert r.status_code == 200 and r.content == b'still fine', \
        'another service after the missing-exchange failure answered %d %r' % (r.status_code, r.content[:300])
    # The extension comes up later: the exchange now exists, and requests reach it.
    late = extensions(exchange=missing, routing_key='nowhere', handler=reply_with(200, b'now here'))

    def reaches():
        rr, _ = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=15)
        return rr.content == b'now here' and rr
    support.wait_until(reaches, 15, 'requests reach the service once its exchange %s exists' % missing, interval=0.5)
    late.check()


def test_late_and_unknown_replies_are_counted(vcd, broker, services, extensions):
    srv, admin, alice = setup_server(vcd, broker, '--extension-timeout', '2')
    e = extensions()                                     # records requests, answers only when told to
    services.register(srv, admin, 'tardy', e.exchange, e.routing_key, [BACKUPS_PATTERN])
    before = ext.extension_status(srv)
    r, _ = ext.call(srv, 'GET', BACKUPS, alice.token, timeout=10)
    ext.expect_error(r, 504, 'GATEWAY_TIMEOUT', 'request never answered in time')
    msg = e.wait_messages(1, 5)[0]

    e.run(lambda: e.reply(msg, 200, b'too late', {'Content-Type': 'text/plain'}))
    st = support.wait_until(lambda: (lambda s: s if s['lateReplies'] == before['lateReplies'] + 1 else None)(
        ext.extension_status(srv)), 5, 'lateReplies counts the reply sent after the timeout')
    assert st['replied'] == before['replied'] and st['timedOut'] == before['timedOut'] + 1, \
        'a late reply must not count as replied: before %r, after %r' % (before, st)

    stranger = str(uuid.uuid4())
    body = json.dumps({'id': stranger, 'statusCode': 200, 'headers': {}, 'body': '', 'request': False}).encode()
    e.run(lambda: e.publish(msg.amqp_headers.get('replyToExchange') or ext.REPLY_EXCHANGE, msg.props.reply_to, body,
                            correlation_id=stranger))
    st = support.wait_until(lambda: (lambda s: s if s['unknownReplies'] == before['unknownReplies'] + 1 else None)(
        ext.extension_status(srv)), 5, 'unknownReplies counts a reply with an unknown correlation id')
    assert st['lateReplies'] == before['lateReplies'] + 1 and st['pending'] == 0, 'GET /mock/extensions: %r' % st
