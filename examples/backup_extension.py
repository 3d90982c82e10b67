#!/usr/bin/env python3
"""A complete (small) vCloud Director 5.5 extension service: "backup", served over AMQP.

How an extension service works (vCloud API Programming Guide 5.5, "Extension Services"):

  1. A system administrator registers the service with vCD: a name, an AMQP exchange ("vcdext"), a routing
     key ("backup") and API filters (URL patterns such as /api/org/[^/]+/backups(/.*)?).
  2. When a client calls a URL that matches a filter, vCD does not answer it itself. It publishes the
     HTTP request as a JSON message [request, securityContext] to the service's exchange, with the
     service's routing key, and waits for a reply.
  3. The service (this program) consumes that message, does its work, and publishes a reply
     {id, statusCode, headers, body (Base64)} to the exchange and routing key the request named
     (header "replyToExchange", property "reply_to"), with the same correlation_id.
  4. vCD turns the reply into the HTTP response of the waiting client.

For a long job, the service answers at once with "202 Accepted" and a Task, then updates that task as it
works; the client polls GET /api/task/{id}, like for any native asynchronous vCD operation.

This program does exactly that for POST /api/org/{org}/backups:

  * it creates a Task in the org's tasks list (as system administrator: only sysadmins may create tasks);
  * it replies 202 with the Task XML;
  * in the background it sets the task to 50 % and then to "success".

Run it against vcd-mock (see examples/README.md for the whole walk-through):

    python3 examples/backup_extension.py --amqp-url amqp://guest:guest@127.0.0.1:5672/%2F \\
                                         --vcd-url http://127.0.0.1:8080

It needs only pika and requests (pip install pika requests) and the Python standard library.
"""

import argparse
import base64
import json
import logging
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

import pika
import requests

VCLOUD_NS = 'http://www.vmware.com/vcloud/v1.5'
ACCEPT = 'application/*+xml;version=5.5'          # every vCloud API 5.5 request names the version
TASK_TYPE = 'application/vnd.vmware.vcloud.task+xml'
SERVICE_NAMESPACE = 'org.example.vcd.backup'      # the namespace the service was registered with
OPERATION_NAME = 'backup'

# requestUri is the path from /api/ on, without host or query string: /api/org/26/backups
BACKUPS_URI = re.compile(r'^/api/org/(?P<org>[^/]+)/backups(?:/.*)?$')

log = logging.getLogger('backup-extension')


# --------------------------------------------------------------------------------------------------------
# Talking to vCD (the REST API): a system administrator session
# --------------------------------------------------------------------------------------------------------

class VcdClient:
    """A minimal vCloud API 5.5 client that logs in as the system administrator when it needs to.

    An extension could also act as the *caller*: the forwarded request carries the caller's
    x-vcloud-authorization header unchanged, and that token works against the API. But creating tasks
    is a system administrator's right, so this service keeps its own sysadmin session.
    """

    def __init__(self, base_url, user, password):
        self.base_url = base_url.rstrip('/')
        self.user, self.password = user, password
        self.token = None
        self.lock = threading.Lock()     # the request handler and the background workers share the token

    def login(self):
        # POST /api/sessions with Basic user@org:password; the token comes back in x-vcloud-authorization.
        r = requests.post(self.base_url + '/api/sessions', auth=(self.user, self.password),
                          headers={'Accept': ACCEPT}, timeout=10)
        r.raise_for_status()
        self.token = r.headers['x-vcloud-authorization']
        log.info('logged in to %s as %s', self.base_url, self.user)

    def url(self, path_or_href):
        # Hrefs that vCD returns are absolute; keep only their /api/... path so that they are sent to the
        # server we were told to use (the two differ when the mock runs with a --public-url).
        if '/api/' in path_or_href:
            path_or_href = '/api/' + path_or_href.split('/api/', 1)[1]
        return self.base_url + path_or_href

    def request(self, method, path_or_href, headers=None, **kw):
        for attempt in (1, 2):
            with self.lock:
                if self.token is None:
                    self.login()
                token = self.token
            h = {'Accept': ACCEPT, 'x-vcloud-authorization': token}
            h.update(headers or {})
            r = requests.request(method, self.url(path_or_href), headers=h, timeout=10, **kw)
            if r.status_code != 401 or attempt == 2:
                return r
            with self.lock:                    # the session expired: log in again, once
                if self.token == token:
                    self.token = None


def task_xml(status, operation, progress=None):
    """A service task (reference §4.2): name, status and serviceNamespace are required."""
    children = '<Progress>%d</Progress>' % progress if progress is not None else ''
    return ('<Task xmlns="%s" name="task" status="%s" serviceNamespace="%s" operationName="%s" operation=%s>%s</Task>'
            % (VCLOUD_NS, status, SERVICE_NAMESPACE, OPERATION_NAME, quoteattr(operation), children))


def create_task(vcd, org_id, operation):
    """POST /api/tasksList/{org}: vCD assigns id, href and startTime and answers 200 with the Task."""
    r = vcd.request('POST', '/api/tasksList/%s' % org_id, data=task_xml('running', operation),
                    headers={'Content-Type': TASK_TYPE})
    if r.status_code != 200:
        raise RuntimeError('POST /api/tasksList/%s answered %d: %s' % (org_id, r.status_code, r.text[:300]))
    return r.content, ET.fromstring(r.content).get('href')


def run_backup(vcd, task_href, operation, delay):
    """The "work": after a while the task is half done, after another while it succeeded."""
    try:
        for status, progress in (('running', 50), ('success', 100)):
            time.sleep(delay)
            r = vcd.request('PUT', task_href, data=task_xml(status, operation, progress),
                            headers={'Content-Type': TASK_TYPE})
            if r.status_code != 200:
                raise RuntimeError('PUT %s answered %d: %s' % (task_href, r.status_code, r.text[:300]))
            log.info('task %s: %s, %d %%', task_href, status, progress)
    except Exception:   # a real service would PUT status="error" with an <Error> child here
        log.exception('backup for task %s failed', task_href)


# --------------------------------------------------------------------------------------------------------
# Talking to vCD over AMQP: requests in, replies out
# --------------------------------------------------------------------------------------------------------

def error_xml(status, minor, message):
    return ('<Error xmlns="%s" majorErrorCode="%d" minorErrorCode="%s" message=%s/>'
            % (VCLOUD_NS, status, minor, quoteattr(message))).encode('utf-8')


def send_reply(channel, props, request_id, status, content_type, body):
    """Publishes the response message (reference §5.6) that vCD relays to the waiting HTTP client."""
    headers = props.headers or {}
    reply_exchange = headers.get('replyToExchange', 'vcd.replyExchange')
    if isinstance(reply_exchange, bytes):
        reply_exchange = reply_exchange.decode('utf-8')
    reply = {
        'id': request_id,                                   # the request's id
        'statusCode': status,                               # the HTTP status the client gets
        'headers': {'Content-Type': content_type},          # HTTP headers the client gets
        'body': base64.b64encode(body).decode('ascii'),     # the HTTP body, Base64
        'request': False,
    }
    channel.basic_publish(exchange=reply_exchange,           # header replyToExchange
                          routing_key=props.reply_to,        # property reply_to
                          properties=pika.BasicProperties(correlation_id=props.correlation_id,
                                                          content_type='application/json'),
                          body=json.dumps(reply))


class BackupService:
    def __init__(self, vcd, delay, once):
        self.vcd, self.delay, self.once = vcd, delay, once
        self.workers = []

    def on_request(self, channel, method, props, body):
        # The message body is a JSON array: [request, securityContext].
        request, ctx = json.loads(body)[:2]
        log.info('request %s: %s %s%s from user %s of org %s (correlation_id %s)',
                 request['id'], request['method'], request['requestUri'],
                 '?' + request['queryString'] if request.get('queryString') else '',
                 ctx.get('user'), ctx.get('org'), props.correlation_id)
        try:
            status, content_type, reply_body = self.handle(request, ctx)
        except Exception as e:   # never leave vCD waiting: it would answer 504 after its timeout
            log.exception('request %s failed', request['id'])
            status, content_type = 500, 'application/vnd.vmware.vcloud.error+xml;version=5.5'
            reply_body = error_xml(500, 'INTERNAL_SERVER_ERROR', 'backup service: %s' % e)
        send_reply(channel, props, request['id'], status, content_type, reply_body)
        channel.basic_ack(method.delivery_tag)               # done with this message
        log.info('request %s: replied %d', request['id'], status)
        if self.once:
            channel.stop_consuming()

    def handle(self, request, ctx):
        m = BACKUPS_URI.match(request['requestUri'])
        if not m or request['method'] != 'POST':
            return (404, 'application/vnd.vmware.vcloud.error+xml;version=5.5',
                    error_xml(404, 'RESOURCE_NOT_FOUND', 'backup service: only POST /api/org/{id}/backups'))
        # The HTTP body (if any) arrives Base64-encoded; a real service would read backup options from it.
        params = base64.b64decode(request.get('body') or '')
        if params:
            log.info('request %s: %d byte(s) of parameters', request['id'], len(params))

        operation = 'Backup requested by %s' % ctx.get('user', 'unknown user')
        task, href = create_task(self.vcd, m.group('org'), operation)
        log.info('request %s: created task %s', request['id'], href)

        worker = threading.Thread(target=run_backup, args=(self.vcd, href, operation, self.delay), daemon=True)
        worker.start()
        self.workers = [w for w in self.workers if w.is_alive()] + [worker]
        # 202 Accepted with the Task, exactly like a native asynchronous vCD operation.
        return 202, TASK_TYPE + ';version=5.5', task


def main():
    p = argparse.ArgumentParser(description='A backup extension service for vcd-mock / vCloud Director 5.5.')
    p.add_argument('--amqp-url', default='amqp://guest:guest@127.0.0.1:5672/%2F',
                   help='the broker vCD (vcd-mock --amqp-url) uses (default %(default)s)')
    p.add_argument('--vcd-url', default='http://127.0.0.1:8080', help='vCD / vcd-mock base URL (default %(default)s)')
    p.add_argument('--user', default='administrator@System', help='system administrator (default %(default)s)')
    p.add_argument('--password', default='vmware', help='its password (default %(default)s)')
    p.add_argument('--exchange', default='vcdext', help='the exchange the service is registered with')
    p.add_argument('--routing-key', default='backup', help='the routing key the service is registered with')
    p.add_argument('--queue', default='backup', help='the queue this program consumes')
    p.add_argument('--delay', type=float, default=2.0, help='seconds between task updates (default %(default)s)')
    p.add_argument('--once', action='store_true', help='exit after one request (and its task) is done')
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format='%(asctime)s %(name)s: %(message)s')
    logging.getLogger('pika').setLevel(logging.WARNING)     # pika logs every connection step at INFO

    vcd = VcdClient(args.vcd_url, args.user, args.password)
    vcd.login()     # fail early on a wrong URL or password

    connection = pika.BlockingConnection(pika.URLParameters(args.amqp_url))
    channel = connection.channel()
    # vCD publishes to the exchange named at registration, so it must exist and be of type direct
    # (while it does not exist, every matching request fails with 500).
    channel.exchange_declare(args.exchange, exchange_type='direct', durable=True)
    # auto_delete: the queue goes away with this program, so requests sent while no service runs are
    # not kept (vCD would have answered their clients with 504 anyway).
    channel.queue_declare(args.queue, auto_delete=True)
    channel.queue_bind(args.queue, args.exchange, routing_key=args.routing_key)
    channel.basic_qos(prefetch_count=1)

    service = BackupService(vcd, args.delay, args.once)
    channel.basic_consume(args.queue, service.on_request)
    log.info('waiting for requests on exchange %r, routing key %r, queue %r',
             args.exchange, args.routing_key, args.queue)
    try:
        channel.start_consuming()
    except KeyboardInterrupt:
        channel.stop_consuming()
    for worker in service.workers:     # let running backups finish their task updates
        worker.join()
    connection.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
