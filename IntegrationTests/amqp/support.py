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


# The rest of the helpers live in their own modules; `support.X` keeps working for every name.
from messages import *  # noqa: E402,F401,F403
from server import *  # noqa: E402,F401,F403
