"""The vcd-mock process under test and its HTTP API (Login, Server, settings bodies)."""

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

from support import *  # noqa: F401,F403 (constants and wait helpers; support re-exports this module)
from messages import *  # noqa: F401,F403

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
