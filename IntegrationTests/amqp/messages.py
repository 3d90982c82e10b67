"""Notifications as a consumer sees them: Received, Consumer and the checks of one notification."""

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
