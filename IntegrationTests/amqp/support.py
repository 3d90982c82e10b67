"""Helpers for the AMQP suite: the server process, a vCloud API client, the broker and a consumer.

Everything here is real: the vcd-mock binary over HTTP on loopback, RabbitMQ through pika, the broker
started and stopped with scripts/rabbitmq. Every wait has a deadline and fails with what it saw.
"""

import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pika
import pika.exceptions
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RABBIT_SCRIPT = os.path.join(ROOT, 'scripts', 'rabbitmq')

VCLOUD_NS = 'http://www.vmware.com/vcloud/v1.5'
VMEXT_NS = 'http://www.vmware.com/vcloud/extension/v1.5'
ACCEPT = 'application/*+xml;version=5.5'
TASK_TYPE = 'application/vnd.vmware.vcloud.task+xml'
EVENT_TYPE = 'application/vnd.vmware.admin.event+xml'
AMQP_SETTINGS_TYPE = 'application/vnd.vmware.admin.amqpSettings+xml'
NOTIFICATIONS_SETTINGS_TYPE = 'application/vnd.vmware.admin.notificationsSettings+xml'

XML_EXCHANGE = 'systemExchange'
JSON_EXCHANGE = 'vcd.notifications20'
EVENT_PREFIX = 'com/vmware/vcloud/event/'
TASK_CREATE = EVENT_PREFIX + 'task/create'
TASK_COMPLETE = EVENT_PREFIX + 'task/complete'
TASK_FAIL = EVENT_PREFIX + 'task/fail'
TASK_ABORT = EVENT_PREFIX + 'task/abort'
SESSION_LOGIN = EVENT_PREFIX + 'session/login'

ACME_ORG_ID = '26'
SERVICE_NAMESPACE = 'org.example.vcd.backup'
OPERATION_NAME = 'backupInProgress'
HEADER_NAMES = ('notification.type', 'notification.entityType', 'notification.entityUUID',
                'notification.orgUUID', 'notification.userUUID', 'notification.operationSuccess')
STATUS_KEYS = {'connected': bool, 'outboxDepth': int, 'unconfirmed': int, 'published': int, 'confirmed': int,
               'returned': int, 'nacked': int, 'refused': int, 'reconnects': int}

LISTEN_RE = re.compile(r'vcd-mock listening on (http://[^\s/]+:\d+)/?\s*$')
TIMESTAMP_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$')
HTTP_TIMEOUT = (5, 20)


class Deadline:
    def __init__(self, seconds):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def passed(self):
        return self.left() <= 0


def wait_until(probe, timeout, what, interval=0.1):
    """Calls probe() until it returns something truthy; fails after `timeout` s with the last value seen."""
    deadline = Deadline(timeout)
    last = None
    while True:
        try:
            last = probe()
        except Exception as e:  # noqa: BLE001 - report whatever the probe hit
            last = '%s: %s' % (type(e).__name__, e)
        else:
            if last:
                return last
        if deadline.passed():
            raise AssertionError('%s: not within %.0f s; last seen: %r' % (what, timeout, last))
        time.sleep(interval)


def uuid_of(urn):
    return urn.rsplit(':', 1)[-1]


def local(tag):
    return tag.split('}', 1)[1] if tag.startswith('{') else tag


# --------------------------------------------------------------------------------------------------------
# The broker: scripts/rabbitmq for start/stop, pika for everything else
# --------------------------------------------------------------------------------------------------------

def connection_parameters(url):
    p = pika.URLParameters(url)
    p.socket_timeout = 5
    p.stack_timeout = 10
    p.blocked_connection_timeout = 10
    p.connection_attempts = 1
    p.heartbeat = 0
    return p


def connect(url):
    return pika.BlockingConnection(connection_parameters(url))


def broker_problem(url):
    """None if an AMQP connection to url opens, else why not."""
    try:
        c = connect(url)
    except Exception as e:  # noqa: BLE001
        return '%s: %s' % (type(e).__name__, e or 'connection refused or handshake failed')
    try:
        c.close()
    except Exception:  # noqa: BLE001
        pass
    return None


class Broker:
    """The test broker at VCD_MOCK_TEST_AMQP_URL, controlled by scripts/rabbitmq (same env: dir and port)."""

    def __init__(self, url):
        self.url = url
        parsed = urllib.parse.urlsplit(url)
        self.host = parsed.hostname
        self.port = parsed.port or 5672
        self.username = urllib.parse.unquote(parsed.username or 'guest')
        self.password = urllib.parse.unquote(parsed.password or 'guest')
        vhost = urllib.parse.unquote(parsed.path[1:]) if len(parsed.path) > 1 else '/'
        self.vhost = vhost or '/'

    def _script(self, command, timeout=150):
        try:
            r = subprocess.run([RABBIT_SCRIPT, command], cwd=ROOT, capture_output=True, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise AssertionError('scripts/rabbitmq %s did not finish within %d s; output: %s%s'
                                 % (command, timeout, e.stdout or '', e.stderr or ''))
        return r.returncode, (r.stdout or '') + (r.stderr or '')

    def check_controllable(self):
        rc, out = self._script('url', timeout=10)
        mine = out.strip().splitlines()[0] if out.strip() else ''
        if rc != 0 or urllib.parse.urlsplit(mine).port != self.port:
            raise AssertionError(
                'VCD_MOCK_TEST_AMQP_URL=%s is not the node scripts/rabbitmq controls (%s): this test stops and '
                'starts the broker, so set VCD_MOCK_RABBIT_PORT/VCD_MOCK_RABBIT_DIR to match (make test does)'
                % (self.url, mine or out.strip()))

    def stop(self):
        self.check_controllable()
        t0 = time.monotonic()
        rc, out = self._script('stop')
        if rc != 0:
            raise AssertionError('scripts/rabbitmq stop failed (exit %d):\n%s' % (rc, out))
        problem = broker_problem(self.url)
        if problem is None:
            raise AssertionError('scripts/rabbitmq stop returned but %s still accepts connections' % self.url)
        return time.monotonic() - t0

    def start(self):
        self.check_controllable()
        t0 = time.monotonic()
        rc, out = self._script('start')
        if rc != 0:
            raise AssertionError('scripts/rabbitmq start failed (exit %d):\n%s' % (rc, out))
        problem = broker_problem(self.url)
        if problem is not None:
            raise AssertionError('scripts/rabbitmq start returned but %s refuses AMQP: %s' % (self.url, problem))
        return time.monotonic() - t0

    def ensure_running(self):
        if broker_problem(self.url) is not None:
            self.start()

    def delete_exchanges(self, *names):
        """Deletes exchanges (and so every binding to them), e.g. to get a broker with no queue bound."""
        c = connect(self.url)
        try:
            for name in names or (XML_EXCHANGE, JSON_EXCHANGE):
                ch = c.channel()
                try:
                    ch.exchange_delete(name)
                except pika.exceptions.ChannelClosedByBroker:
                    pass  # already gone
                if ch.is_open:
                    ch.close()
        finally:
            c.close()

    def exchange_exists(self, name):
        c = connect(self.url)
        try:
            ch = c.channel()
            try:
                ch.exchange_declare(name, passive=True)
                return True
            except pika.exceptions.ChannelClosedByBroker as e:
                if e.reply_code == 404:
                    return False
                raise
        finally:
            if c.is_open:
                c.close()

    def check_exchange_kind(self, name):
        """Active declare with the contract's arguments: the broker refuses it if the server declared otherwise."""
        c = connect(self.url)
        try:
            ch = c.channel()
            try:
                ch.exchange_declare(name, exchange_type='topic', durable=True)
            except pika.exceptions.ChannelClosedByBroker as e:
                raise AssertionError('exchange %s exists but is not a durable topic exchange: %s' % (name, e))
        finally:
            if c.is_open:
                c.close()

    def delete_queue(self, name):
        c = connect(self.url)
        try:
            c.channel().queue_delete(name)
        finally:
            if c.is_open:
                c.close()


# --------------------------------------------------------------------------------------------------------
# Received notifications
# --------------------------------------------------------------------------------------------------------

@dataclass
class Received:
    exchange: str
    routing_key: str
    props: object
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def headers(self):
        out = {}
        for k, v in (self.props.headers or {}).items():
            if isinstance(v, bytes):
                v = v.decode('utf-8', 'replace')
            if isinstance(v, bool):
                v = 'true' if v else 'false'
            out[k] = v if isinstance(v, str) else str(v)
        return out

    @property
    def type(self):
        return self.headers.get('notification.type')

    @property
    def entity(self):
        return self.headers.get('notification.entityUUID')

    @property
    def is_xml(self):
        return self.exchange == XML_EXCHANGE

    def xml(self):
        return ET.fromstring(self.body)

    def json(self):
        return json.loads(self.body.decode('utf-8'))

    @property
    def event_id(self):
        try:
            return self.xml().get('eventId') if self.is_xml else self.json().get('eventId')
        except Exception:  # noqa: BLE001
            return None

    def describe(self):
        body = self.body.decode('utf-8', 'replace')
        if len(body) > 1500:
            body = body[:1500] + '...'
        p = self.props
        return ('exchange=%s routing_key=%s\n  content_type=%s delivery_mode=%s message_id=%s\n  headers=%s\n  body=%s'
                % (self.exchange, self.routing_key, p.content_type, p.delivery_mode, p.message_id,
                   self.headers, body))


def summarize(messages, limit=25):
    if not messages:
        return '(no messages received)'
    lines = ['%d message(s) received; last %d:' % (len(messages), min(limit, len(messages)))]
    for m in messages[-limit:]:
        lines.append('  %-20s %-60s type=%s entity=%s' % (m.exchange, m.routing_key, m.type, m.entity))
    return '\n'.join(lines)


class Consumer:
    """A queue bound with `#` to the notification exchanges; collects every message it gets.

    The exchanges are declared (durable topic, as the server declares them) so the binding can be made
    before the server ever published. queue=None: a server-named exclusive queue (gone with the
    connection); a name: a durable queue that survives a broker restart (x-expires cleans up after a crash).
    """

    def __init__(self, url, exchanges=(XML_EXCHANGE, JSON_EXCHANGE), queue_name=None, consume=True):
        self.url = url
        self.exchanges = exchanges
        self.messages = []
        self.conn = connect(url)
        self.ch = self.conn.channel()
        for ex in exchanges:
            try:
                self.ch.exchange_declare(ex, exchange_type='topic', durable=True)
            except pika.exceptions.ChannelClosedByBroker as e:
                raise AssertionError('cannot declare %s as a durable topic exchange (the server declared it '
                                     'differently?): %s' % (ex, e))
        if queue_name is None:
            self.queue = self.ch.queue_declare('', exclusive=True).method.queue
        else:
            self.queue = self.ch.queue_declare(queue_name, durable=True,
                                               arguments={'x-expires': 600000}).method.queue
        for ex in exchanges:
            self.ch.queue_bind(self.queue, ex, routing_key='#')
        if consume:
            self.start_consuming()

    def start_consuming(self):
        self.ch.basic_qos(prefetch_count=500)
        self.ch.basic_consume(self.queue, self._on_message, auto_ack=True)

    def _on_message(self, ch, method, props, body):
        self.messages.append(Received(method.exchange, method.routing_key, props, body))

    def pump(self, seconds=0.2):
        self.conn.process_data_events(time_limit=seconds)

    def wait_for(self, predicate, timeout, what):
        """Pumps until predicate(messages) is truthy; returns its value or fails listing what arrived."""
        deadline = Deadline(timeout)
        while True:
            result = predicate(self.messages)
            if result:
                return result
            if deadline.passed():
                raise AssertionError('%s: not within %.0f s.\n%s' % (what, timeout, summarize(self.messages)))
            self.pump(min(0.2, max(deadline.left(), 0.01)))

    def find(self, type_=None, entity=None, exchange=None, user=None):
        return [m for m in self.messages
                if (type_ is None or m.type == type_)
                and (entity is None or m.entity == entity)
                and (exchange is None or m.exchange == exchange)
                and (user is None or m.headers.get('notification.userUUID') == user)]

    def close(self):
        try:
            if self.conn.is_open:
                self.conn.close()
        except Exception:  # noqa: BLE001
            pass


def check_notification(m, *, type_, entity_kind, entity_uuid, org_uuid, user_uuid, success, suffix):
    """Every property, header and body field of one notification; returns the problems found.

    success: True/False, or None to only require the four places that carry it to agree.
    suffix: what follows the type in the routing key (the operationName for tasks), or None for nothing.
    """
    problems = []

    def want(cond, msg):
        if not cond:
            problems.append(msg)

    h = m.headers
    flag = h.get('notification.operationSuccess')
    if success is None:
        want(flag in ('true', 'false'), 'header notification.operationSuccess=%r, expected true or false' % flag)
        success = flag == 'true'
    word = 'true' if success else 'false'
    key = '.'.join([word, entity_uuid, org_uuid, user_uuid] + type_.split('/'))
    if suffix:
        key += '.' + suffix
    want(m.routing_key == key, 'routing key %r, expected %r' % (m.routing_key, key))
    expected_headers = {
        'notification.type': type_, 'notification.entityType': entity_kind, 'notification.entityUUID': entity_uuid,
        'notification.orgUUID': org_uuid, 'notification.userUUID': user_uuid,
        'notification.operationSuccess': word,
    }
    for name, value in expected_headers.items():
        want(h.get(name) == value, 'header %s=%r, expected %r' % (name, h.get(name), value))
    want(m.props.delivery_mode == 2, 'delivery_mode=%r, expected 2 (persistent)' % m.props.delivery_mode)
    ct = m.props.content_type or ''
    entity_urn = 'urn:vcloud:%s:%s' % (entity_kind, entity_uuid)
    user_urn = 'urn:vcloud:user:%s' % user_uuid
    org_urn = 'urn:vcloud:org:%s' % org_uuid
    event_id = None

    if m.is_xml:
        want('xml' in ct.lower(), 'content_type=%r, expected an XML media type' % ct)
        try:
            root = m.xml()
        except ET.ParseError as e:
            problems.append('XML body does not parse: %s' % e)
            root = None
        if root is not None:
            want(root.tag == '{%s}Notification' % VMEXT_NS,
                 'root element %s, expected {%s}Notification' % (root.tag, VMEXT_NS))
            want(root.get('type') == type_, 'Notification@type=%r, expected %r' % (root.get('type'), type_))
            event_id = root.get('eventId')
            want(bool(event_id), 'Notification has no eventId attribute')
            links = {}
            for el in root:
                if local(el.tag) == 'EntityLink':
                    links.setdefault(el.get('rel'), el)
            ent = links.get('entity')
            want(ent is not None, 'no EntityLink rel="entity"')
            if ent is not None:
                want(ent.get('id') == entity_urn, 'EntityLink entity id=%r, expected %r' % (ent.get('id'), entity_urn))
                want(ent.get('type') == 'vcloud:' + entity_kind,
                     'EntityLink entity type=%r, expected %r' % (ent.get('type'), 'vcloud:' + entity_kind))
            for rel, urn in (('down', user_urn), ('up', org_urn)):
                el = links.get(rel)
                want(el is not None and el.get('id') == urn, 'EntityLink rel=%r id=%r, expected %r'
                     % (rel, None if el is None else el.get('id'), urn))
            ts = root.find('{%s}Timestamp' % VMEXT_NS)
            want(ts is not None and TIMESTAMP_RE.match((ts.text or '').strip() or '-'),
                 'vmext:Timestamp missing or not a dateTime: %r' % (None if ts is None else ts.text))
            ok = root.find('{%s}OperationSuccess' % VMEXT_NS)
            want(ok is not None and (ok.text or '').strip() == word,
                 'vmext:OperationSuccess=%r, expected %r' % (None if ok is None else ok.text, word))
    else:
        want(m.exchange == JSON_EXCHANGE, 'exchange %r, expected %s' % (m.exchange, JSON_EXCHANGE))
        want('json' in ct.lower(), 'content_type=%r, expected a JSON media type' % ct)
        try:
            doc = m.json()
        except ValueError as e:
            problems.append('JSON body does not parse: %s' % e)
            doc = None
        if doc is not None:
            event_id = doc.get('eventId')
            want(bool(event_id), 'JSON has no eventId')
            want(doc.get('type') == type_, 'JSON type=%r, expected %r' % (doc.get('type'), type_))
            want(isinstance(doc.get('timestamp'), str) and TIMESTAMP_RE.match(doc.get('timestamp')),
                 'JSON timestamp=%r is not a dateTime' % doc.get('timestamp'))
            want(doc.get('operationSuccess') is success,
                 'JSON operationSuccess=%r, expected %r' % (doc.get('operationSuccess'), success))
            want(doc.get('user') == user_urn, 'JSON user=%r, expected %r' % (doc.get('user'), user_urn))
            want(doc.get('org') == org_urn, 'JSON org=%r, expected %r' % (doc.get('org'), org_urn))
            want(doc.get('entity') == entity_urn, 'JSON entity=%r, expected %r' % (doc.get('entity'), entity_urn))
            if entity_kind == 'task':
                want(doc.get('task') == entity_urn, 'JSON task=%r, expected %r' % (doc.get('task'), entity_urn))
                want(isinstance(doc.get('taskOwner'), str) and doc['taskOwner'].startswith('urn:vcloud:'),
                     'JSON taskOwner=%r, expected a urn:vcloud: URN' % doc.get('taskOwner'))
    if event_id:
        want(m.props.message_id == event_id,
             'message_id=%r, expected the eventId %r' % (m.props.message_id, event_id))
    return problems


# --------------------------------------------------------------------------------------------------------
# The server process and its HTTP API
# --------------------------------------------------------------------------------------------------------

@dataclass
class Login:
    token: str
    user_id: str   # bare
    org_id: str    # bare
    user: str
    org: str


def server_env():
    """The caller's environment without vcd-mock's own VCD_MOCK_* settings: flags decide everything."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith('VCD_MOCK_') or k.startswith(('VCD_MOCK_TEST_', 'VCD_MOCK_RABBIT_'))}


class Server:
    STARTUP_TIMEOUT = 30.0
    SHUTDOWN_TIMEOUT = 15.0

    def __init__(self, binary, args, stderr_path):
        self.cmd = [binary, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warning'] + list(args)
        self.stderr_path = stderr_path
        self.proc = None
        self.base = None
        self._lines = queue.Queue()
        self.http = requests.Session()

    def start(self):
        self._stderr = open(self.stderr_path, 'wb')
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=server_env(), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr, bufsize=1, text=True,
                                     errors='replace')
        threading.Thread(target=self._read, daemon=True).start()
        deadline = Deadline(self.STARTUP_TIMEOUT)
        seen = []
        while True:
            try:
                line = self._lines.get(timeout=max(0.05, min(deadline.left(), 0.5)))
            except queue.Empty:
                if deadline.passed():
                    raise AssertionError('server did not print "vcd-mock listening on http://HOST:PORT" within '
                                         '%.0f s: %s\nstdout: %r\nstderr: %s'
                                         % (self.STARTUP_TIMEOUT, ' '.join(self.cmd), seen, self.stderr_tail()))
                continue
            if line is None:
                rc = self.proc.wait()
                raise AssertionError('server exited with code %s before listening: %s\nstdout: %r\nstderr: %s'
                                     % (rc, ' '.join(self.cmd), seen, self.stderr_tail()))
            seen.append(line)
            m = LISTEN_RE.search(line)
            if m:
                self.base = m.group(1)
                return self

    def _read(self):
        for line in self.proc.stdout:
            self._lines.put(line.rstrip('\n'))
        self._lines.put(None)

    def stderr_tail(self, lines=60):
        try:
            with open(self.stderr_path, 'rb') as f:
                text = f.read().decode('utf-8', 'replace')
        except OSError:
            return ''
        return '\n'.join(text.splitlines()[-lines:])

    def stop(self):
        """SIGTERM; None if it exited 0 in time, else what went wrong (it is killed then)."""
        if self.proc is None or self.proc.poll() is not None:
            rc = None if self.proc is None else self.proc.returncode
            return None if self.proc is None else 'server had already exited (code %s)' % rc
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=self.SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return 'server did not exit within %.0f s of SIGTERM (killed)' % self.SHUTDOWN_TIMEOUT
        finally:
            self._stderr.close()
        return None if rc == 0 else 'server exited with code %s after SIGTERM (expected 0)' % rc

    # HTTP ------------------------------------------------------------------------------------------------

    def request(self, method, path, token=None, session=None, **kw):
        headers = {'Accept': ACCEPT}
        if token:
            headers['x-vcloud-authorization'] = token
        headers.update(kw.pop('headers', {}))
        url = path if path.startswith('http') else self.base + path
        return (session or self.http).request(method, url, headers=headers, timeout=HTTP_TIMEOUT, **kw)

    def expect(self, status, method, path, **kw):
        r = self.request(method, path, **kw)
        if r.status_code != status:
            raise AssertionError('%s %s answered %d, expected %d: %s'
                                 % (method, path, r.status_code, status, r.text[:800]))
        return r

    def login(self, user='administrator', org='System', password='vmware'):
        r = self.request('POST', '/api/sessions', auth=('%s@%s' % (user, org), password))
        if r.status_code != 200:
            raise AssertionError('login %s@%s answered %d: %s' % (user, org, r.status_code, r.text[:500]))
        token = r.headers.get('x-vcloud-authorization')
        assert token, 'login answered 200 without an x-vcloud-authorization header'
        s = ET.fromstring(r.content)
        org_id = None
        for link in s.iter('{%s}Link' % VCLOUD_NS):
            if link.get('type') == 'application/vnd.vmware.vcloud.org+xml':
                org_id = link.get('href').rstrip('/').rsplit('/', 1)[-1]
        return Login(token=token, user_id=uuid_of(s.get('userId')), org_id=org_id, user=user, org=org)

    def post_task(self, login, org_id=ACME_ORG_ID, operation_name=OPERATION_NAME, session=None):
        body = ('<Task xmlns="%s" name="task" status="running" serviceNamespace="%s" operationName="%s"/>'
                % (VCLOUD_NS, SERVICE_NAMESPACE, operation_name))
        r = self.request('POST', '/api/tasksList/%s' % org_id, token=login.token, session=session, data=body,
                         headers={'Content-Type': TASK_TYPE})
        if r.status_code != 200:
            raise AssertionError('POST /api/tasksList/%s answered %d: %s' % (org_id, r.status_code, r.text[:500]))
        tid = ET.fromstring(r.content).get('id') or ''
        assert tid.startswith('urn:vcloud:task:'), 'created task has id %r' % tid
        return uuid_of(tid)

    def put_task(self, login, task_id, status, progress=None, error=None):
        children = ''
        if error:
            children += '<Error message="%s" majorErrorCode="500" minorErrorCode="INTERNAL_SERVER_ERROR"/>' % error
        if progress is not None:
            children += '<Progress>%d</Progress>' % progress
        body = ('<Task xmlns="%s" name="task" status="%s" serviceNamespace="%s" operationName="%s">%s</Task>'
                % (VCLOUD_NS, status, SERVICE_NAMESPACE, OPERATION_NAME, children))
        r = self.expect(200, 'PUT', '/api/task/%s' % task_id, token=login.token, data=body,
                        headers={'Content-Type': TASK_TYPE})
        got = ET.fromstring(r.content).get('status')
        assert got == status, 'PUT task %s to %s answered a task in status %r' % (task_id, status, got)

    def cancel_task(self, login, task_id):
        self.expect(204, 'POST', '/api/task/%s/action/cancel' % task_id, token=login.token)

    def amqp_status(self):
        r = self.request('GET', '/mock/amqp', headers={'Accept': 'application/json'})
        if r.status_code != 200:
            raise AssertionError('GET /mock/amqp answered %d: %s' % (r.status_code, r.text[:500]))
        return r.json()

    def wait_connected(self, timeout=30):
        return wait_until(lambda: self.amqp_status().get('connected') is True, timeout,
                          'GET /mock/amqp connected=true')

    def events(self):
        return self.expect(200, 'GET', '/mock/events', headers={'Accept': 'application/json'}).json()

    # Settings --------------------------------------------------------------------------------------------

    def get_amqp_settings(self, login):
        r = self.expect(200, 'GET', '/api/admin/extension/settings/amqp', token=login.token)
        return ET.fromstring(r.content)

    def put_amqp_settings(self, login, body):
        r = self.expect(200, 'PUT', '/api/admin/extension/settings/amqp', token=login.token, data=body,
                        headers={'Content-Type': AMQP_SETTINGS_TYPE})
        return ET.fromstring(r.content)

    def test_amqp_settings(self, login, body):
        r = self.expect(200, 'POST', '/api/admin/extension/settings/amqp/action/test', token=login.token,
                        data=body, headers={'Content-Type': AMQP_SETTINGS_TYPE})
        root = ET.fromstring(r.content)
        assert local(root.tag) == 'AmqpSettingsTest' and root.tag.startswith('{%s}' % VMEXT_NS), \
            'action/test answered <%s>, expected vmext:AmqpSettingsTest' % root.tag
        valid = root.find('{%s}Valid' % VMEXT_NS)
        assert valid is not None, 'AmqpSettingsTest without vmext:Valid: %s' % r.text[:500]
        return (valid.text or '').strip(), r.text

    def notifications_enabled(self, login):
        r = self.expect(200, 'GET', '/api/admin/extension/settings/notifications', token=login.token)
        el = ET.fromstring(r.content).find('{%s}EnableNotifications' % VMEXT_NS)
        assert el is not None, 'NotificationsSettings without vmext:EnableNotifications: %s' % r.text[:500]
        return (el.text or '').strip()

    def set_notifications(self, login, enabled):
        body = ('<vmext:NotificationsSettings xmlns:vmext="%s" xmlns:vcloud="%s">'
                '<vmext:EnableNotifications>%s</vmext:EnableNotifications></vmext:NotificationsSettings>'
                % (VMEXT_NS, VCLOUD_NS, 'true' if enabled else 'false'))
        r = self.expect(200, 'PUT', '/api/admin/extension/settings/notifications', token=login.token, data=body,
                        headers={'Content-Type': NOTIFICATIONS_SETTINGS_TYPE})
        el = ET.fromstring(r.content).find('{%s}EnableNotifications' % VMEXT_NS)
        assert el is not None and el.text.strip() == ('true' if enabled else 'false'), \
            'PUT notifications settings answered %s' % r.text[:500]


def amqp_settings_body(broker, port=None, password=None):
    """A full vmext:AmqpSettings for the test broker; password None sends an empty one (keep the current)."""
    v = {
        'AmqpHost': broker.host, 'AmqpPort': str(port if port is not None else broker.port),
        'AmqpUsername': broker.username, 'AmqpPassword': password or '', 'AmqpExchange': XML_EXCHANGE,
        'AmqpVHost': broker.vhost, 'AmqpUseSSL': 'false', 'AmqpSslAcceptAll': 'false', 'AmqpPrefix': 'vcd',
    }
    from xml.sax.saxutils import escape
    children = ''.join('<vmext:%s>%s</vmext:%s>' % (k, escape(val), k) for k, val in v.items())
    return ('<vmext:AmqpSettings xmlns:vmext="%s" xmlns:vcloud="%s">%s</vmext:AmqpSettings>'
            % (VMEXT_NS, VCLOUD_NS, children))
