"""Helpers for the extension-service tests (reference §5): registering services over the vCloud API, and
a fake extension service on the real broker that receives forwarded requests and replies to them.

The fake extension owns one pika BlockingConnection on its own thread. Its handler runs on that thread
(and may call reply/publish directly); anything the test thread wants done on the connection goes
through run(), which hands it over with add_callback_threadsafe.
"""

import base64
import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pika
import pika.exceptions
import requests

import support
from support import ACCEPT, VCLOUD_NS, VMEXT_NS, Deadline, local

SERVICE_TYPE = 'application/vnd.vmware.admin.service+xml'
API_FILTER_TYPE = 'application/vnd.vmware.admin.apiFilter+xml'
REPLY_EXCHANGE = 'vcd.replyExchange'
STATUS_KEYS = ('forwarded', 'replied', 'timedOut', 'lateReplies', 'unknownReplies', 'malformedReplies', 'pending')


def unique(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:10])


# --------------------------------------------------------------------------------------------------------
# The vCloud side: services and filters
# --------------------------------------------------------------------------------------------------------

@dataclass
class Service:
    href: str
    id: str
    name: str
    namespace: str
    routing_key: str
    exchange: str


def service_xml(name, namespace, routing_key, exchange, patterns=(), enabled=True):
    filters = ''
    if patterns:
        filters = '<vmext:ApiFilters>%s</vmext:ApiFilters>' % ''.join(
            '<vmext:ApiFilter><vmext:UrlPattern>%s</vmext:UrlPattern></vmext:ApiFilter>' % escape(p)
            for p in patterns)
    return ('<vmext:Service xmlns="%s" xmlns:vmext="%s" name=%s>'
            '<vmext:Namespace>%s</vmext:Namespace><vmext:Enabled>%s</vmext:Enabled>'
            '<vmext:RoutingKey>%s</vmext:RoutingKey><vmext:Exchange>%s</vmext:Exchange>%s</vmext:Service>'
            % (VCLOUD_NS, VMEXT_NS, quoteattr(name), escape(namespace), 'true' if enabled else 'false',
               escape(routing_key), escape(exchange), filters))


def register(srv, admin, name, exchange, routing_key, patterns, namespace=None, enabled=True):
    """POST /api/admin/extension/service; returns the Service (fails unless 201 with id and href)."""
    namespace = namespace or 'org.example.test.' + name
    body = service_xml(name, namespace, routing_key, exchange, patterns, enabled)
    r = srv.request('POST', '/api/admin/extension/service', token=admin.token, data=body,
                    headers={'Content-Type': SERVICE_TYPE})
    assert r.status_code == 201, 'register service %r answered %d, expected 201: %s' % (name, r.status_code, r.text[:800])
    root = ET.fromstring(r.content)
    assert local(root.tag) == 'Service', 'register service answered <%s>, expected vmext:Service' % root.tag
    sid, href = root.get('id') or '', root.get('href') or ''
    assert sid.startswith('urn:vcloud:externalService:'), 'registered service has id %r' % sid
    assert href, 'registered service has no href: %s' % r.text[:800]
    return Service(href=href, id=sid, name=name, namespace=namespace, routing_key=routing_key, exchange=exchange)


def set_enabled(srv, admin, svc, enabled, content_type=True):
    """PUT the service href with Enabled true/false (content_type=False: no Content-Type, as pyvcloud does)."""
    body = service_xml(svc.name, svc.namespace, svc.routing_key, svc.exchange, (), enabled)
    headers = {'Content-Type': SERVICE_TYPE} if content_type else {}
    r = srv.request('PUT', svc.href, token=admin.token, data=body, headers=headers)
    assert r.status_code == 200, 'PUT service %s Enabled=%s (%s Content-Type) answered %d, expected 200: %s' % (
        svc.name, enabled, 'with' if content_type else 'without', r.status_code, r.text[:800])
    el = ET.fromstring(r.content).find('{%s}Enabled' % VMEXT_NS)
    want = 'true' if enabled else 'false'
    assert el is not None and (el.text or '').strip() == want, \
        'PUT service answered Enabled=%r, expected %r: %s' % (None if el is None else el.text, want, r.text[:800])


def delete_service(srv, admin, svc):
    r = srv.request('DELETE', svc.href, token=admin.token)
    assert r.status_code == 204, 'DELETE service %s answered %d, expected 204: %s' % (svc.name, r.status_code, r.text[:500])


def add_filter(srv, admin, svc, pattern):
    """POST <service>/apifilters; returns the filter's href."""
    body = ('<vmext:ApiFilter xmlns:vmext="%s"><vmext:UrlPattern>%s</vmext:UrlPattern></vmext:ApiFilter>'
            % (VMEXT_NS, escape(pattern)))
    r = srv.request('POST', svc.href.rstrip('/') + '/apifilters', token=admin.token, data=body,
                    headers={'Content-Type': API_FILTER_TYPE})
    assert r.status_code == 201, 'POST %s/apifilters answered %d, expected 201: %s' % (svc.href, r.status_code, r.text[:800])
    href = ET.fromstring(r.content).get('href')
    assert href, 'created ApiFilter has no href: %s' % r.text[:800]
    return href


def delete_filter(srv, admin, href):
    r = srv.request('DELETE', href, token=admin.token)
    assert r.status_code == 204, 'DELETE filter %s answered %d, expected 204: %s' % (href, r.status_code, r.text[:500])


def extension_status(srv):
    r = srv.request('GET', '/mock/extensions', headers={'Accept': 'application/json'})
    assert r.status_code == 200, 'GET /mock/extensions answered %d: %s' % (r.status_code, r.text[:500])
    st = r.json()
    for key in STATUS_KEYS:
        assert key in st and type(st[key]) is int, 'GET /mock/extensions: %r missing or not an integer: %r' % (key, st)
    return st


def wait_ready(srv, broker, timeout=30):
    """The server's broker connection is up (its extension bridge connects on the first forwarded request)."""
    srv.wait_connected(timeout)


def call(srv, method, path, token=None, timeout=20, headers=None, **kw):
    """One HTTP request on its own connection (safe from many threads); returns (response, seconds)."""
    h = {'Accept': ACCEPT}
    if token:
        h['x-vcloud-authorization'] = token
    h.update(headers or {})
    t0 = time.monotonic()
    r = requests.request(method, srv.base + path, headers=h, timeout=(5, timeout), **kw)
    return r, time.monotonic() - t0


def error_of(r):
    """The vCD Error document of a response as a dict of its attributes (fails if it is not one)."""
    try:
        root = ET.fromstring(r.content)
    except ET.ParseError as e:
        raise AssertionError('answer %d is not an XML Error document (%s): %r' % (r.status_code, e, r.content[:500]))
    assert local(root.tag) == 'Error', 'answer %d has root <%s>, expected Error: %s' % (r.status_code, root.tag, r.text[:500])
    return dict(root.attrib)


def expect_error(r, status, minor, what):
    assert r.status_code == status, '%s: answered %d, expected %d %s: %s' % (what, r.status_code, status, minor, r.text[:800])
    err = error_of(r)
    assert err.get('majorErrorCode') == str(status), '%s: majorErrorCode=%r, expected %r' % (what, err.get('majorErrorCode'), str(status))
    if minor:
        assert err.get('minorErrorCode') == minor, '%s: minorErrorCode=%r, expected %r: %s' % (what, err.get('minorErrorCode'), minor, r.text[:800])
    return err


# --------------------------------------------------------------------------------------------------------
# The AMQP side: a fake extension service
# --------------------------------------------------------------------------------------------------------

def text(v):
    return v.decode('utf-8', 'replace') if isinstance(v, bytes) else v


@dataclass
class Forwarded:
    """One request message as the extension received it."""
    exchange: str
    routing_key: str
    props: object
    raw: bytes
    doc: object            # the parsed JSON (None if it did not parse)
    at: float

    @property
    def request(self):
        return self.doc[0]

    @property
    def ctx(self):
        return self.doc[1]

    @property
    def id(self):
        return self.request.get('id')

    @property
    def amqp_headers(self):
        return {k: text(v) for k, v in (self.props.headers or {}).items()}

    def body_bytes(self):
        return base64.b64decode(self.request.get('body') or '', validate=True)

    def header(self, name):
        """A forwarded HTTP header by exact name."""
        return (self.request.get('headers') or {}).get(name)

    def describe(self):
        raw = self.raw.decode('utf-8', 'replace')
        return 'exchange=%s routing_key=%s correlation_id=%s reply_to=%s headers=%s body=%s' % (
            self.exchange, self.routing_key, self.props.correlation_id, self.props.reply_to, self.amqp_headers, raw[:1500])


class Extension:
    """A direct exchange and a queue bound to it with the routing key, and a consumer on its own thread.

    handler(ext, msg) is called on the consumer thread for every request; it may call ext.reply(...).
    consume=False: only declare (the exchange exists and publishing is routed, but nobody answers).
    """

    def __init__(self, url, exchange, routing_key, handler=None, consume=True, queue_name=None):
        self.url, self.exchange, self.routing_key, self.handler = url, exchange, routing_key, handler
        self.queue = queue_name or unique('vcd-mock-test-ext')
        self.messages = []
        self.errors = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self._stop = False
        self.conn = support.connect(url)
        self.ch = self.conn.channel()
        self.ch.exchange_declare(exchange, exchange_type='direct', durable=False, auto_delete=False)
        self.ch.queue_declare(self.queue, durable=False, arguments={'x-expires': 600000})
        self.ch.queue_bind(self.queue, exchange, routing_key=routing_key)
        self.thread = None
        if consume:
            self.ch.basic_qos(prefetch_count=1000)
            self.ch.basic_consume(self.queue, self._on_message, auto_ack=True)
        self.thread = threading.Thread(target=self._loop, daemon=True, name='extension-' + exchange)
        self.thread.start()

    def _loop(self):
        while not self._stop:
            try:
                self.conn.process_data_events(time_limit=0.05)
            except Exception as e:  # noqa: BLE001 - report it to the test
                with self.lock:
                    self.errors.append('consumer loop: %s: %s' % (type(e).__name__, e))
                return

    def _on_message(self, ch, method, props, body):
        try:
            doc = json.loads(body.decode('utf-8'))
        except Exception:  # noqa: BLE001 - the test reports it
            doc = None
        msg = Forwarded(exchange=method.exchange, routing_key=method.routing_key, props=props, raw=body, doc=doc,
                        at=time.monotonic())
        with self.lock:
            self.messages.append(msg)
            self.arrived.notify_all()
        if doc is None or not isinstance(doc, list) or len(doc) < 2:
            with self.lock:
                self.errors.append('request message is not a JSON array [request, securityContext]: %s' % msg.describe())
            return
        if self.handler:
            try:
                self.handler(self, msg)
            except Exception as e:  # noqa: BLE001
                with self.lock:
                    self.errors.append('handler: %s: %s' % (type(e).__name__, e))

    # Called on the consumer thread (from a handler) or through run() ------------------------------------

    def publish(self, exchange, routing_key, body, correlation_id=None):
        props = pika.BasicProperties(correlation_id=correlation_id, content_type='application/json')
        self.ch.basic_publish(exchange=exchange, routing_key=routing_key, body=body, properties=props)

    def reply(self, msg, status, body=b'', headers=None, request_id=None, raw=None):
        """The reply of §5.6 to msg: exchange = header replyToExchange, key = reply_to, correlation_id copied.
        raw: send these bytes as the whole message body instead (for malformed replies)."""
        if raw is None:
            raw = json.dumps({'id': request_id or msg.id, 'statusCode': status, 'headers': headers or {},
                              'body': base64.b64encode(body).decode('ascii'), 'request': False}).encode('utf-8')
        self.publish(msg.amqp_headers.get('replyToExchange') or REPLY_EXCHANGE, msg.props.reply_to, raw,
                     correlation_id=msg.props.correlation_id)

    # Test thread -------------------------------------------------------------------------------------------

    def run(self, fn, timeout=10):
        """Runs fn() on the consumer thread; returns its result."""
        fut = concurrent.futures.Future()

        def task():
            try:
                fut.set_result(fn())
            except Exception as e:  # noqa: BLE001
                fut.set_exception(e)
        self.conn.add_callback_threadsafe(task)
        return fut.result(timeout=timeout)

    def wait_messages(self, n, timeout, what=None):
        """Waits until at least n requests arrived; returns a copy of the list."""
        deadline = Deadline(timeout)
        with self.lock:
            while len(self.messages) < n:
                if deadline.passed():
                    raise AssertionError('%s: %d of %d request message(s) reached exchange %s within %.0f s%s'
                                         % (what or 'extension', len(self.messages), n, self.exchange, timeout,
                                            ('; errors: %s' % self.errors) if self.errors else ''))
                self.arrived.wait(min(0.2, max(deadline.left(), 0.01)))
            return list(self.messages)

    def check(self):
        with self.lock:
            assert not self.errors, 'fake extension on %s: %s' % (self.exchange, '; '.join(self.errors))

    def close(self, delete=True):
        self._stop = True
        if self.thread is not None:
            self.thread.join(5)
        try:
            if delete and self.conn.is_open:
                ch = self.conn.channel()
                ch.queue_delete(self.queue)
                ch.exchange_delete(self.exchange)
        except Exception:  # noqa: BLE001 - best effort cleanup
            pass
        try:
            if self.conn.is_open:
                self.conn.close()
        except Exception:  # noqa: BLE001
            pass


# --------------------------------------------------------------------------------------------------------
# examples/backup_extension.py as a subprocess
# --------------------------------------------------------------------------------------------------------

EXAMPLE = os.path.join(support.ROOT, 'examples', 'backup_extension.py')


class ExampleProcess:
    """Runs an example extension (backup_extension.py unless `script` says otherwise) with this interpreter
    (the suite's venv has pika and requests); `ready` is the line it logs once it consumes."""

    def __init__(self, *args, script=EXAMPLE, ready='waiting for requests'):
        self.READY = ready
        self.cmd = [sys.executable, '-u', script] + list(args)
        self.lines = []
        self.proc = subprocess.Popen(self.cmd, cwd=support.ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors='replace')
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip('\n'))

    def output(self):
        return '\n'.join(self.lines[-80:]) or '(no output)'

    def wait_ready(self, timeout=20):
        deadline = Deadline(timeout)
        while not any(self.READY in line for line in self.lines):
            if self.proc.poll() is not None:
                time.sleep(0.2)   # let the reader catch the last lines
                raise AssertionError('example exited with code %s before consuming: %s\n%s'
                                     % (self.proc.returncode, ' '.join(self.cmd), self.output()))
            if deadline.passed():
                raise AssertionError('example did not log %r within %.0f s:\n%s' % (self.READY, timeout, self.output()))
            time.sleep(0.05)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError('example (--once) still running %.0f s after its request:\n%s'
                                 % (timeout, self.output())) from None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
