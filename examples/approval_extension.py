#!/usr/bin/env python3
"""An extension that approves or rejects vApp instantiations: vCloud Director 5.5 blocking tasks.

How blocking tasks work (vCloud API Programming Guide 5.5, "Blocking Tasks and Notifications"):

  1. A system administrator names task operations as *blocking*, e.g. vdcInstantiateVapp:
     PUT /api/admin/extension/settings/blockingTask (BlockingTaskSettings).
  2. When a user starts such an operation, vCD answers as usual (201 VApp / 202 Task) but does not run it:
     the task waits in status "preRunning", a BlockingTask is created, and a notification
     com/vmware/vcloud/event/blockingtask/create is published to the AMQP exchange (routing key
     true.<blockingTaskUUID>.<orgUUID>.<userUUID>.com.vmware.vcloud.event.blockingtask.create.<operationName>).
  3. An extension (this program) consumes the message, looks at the request, and decides, as system
     administrator: POST /api/admin/extension/blockingTask/{id}/action/resume, .../abort or .../fail with a
     BlockingTaskOperationParams body (204). resume lets the task run; abort ends it "aborted" and removes
     the new vApp; fail ends it in "error".
  4. Nobody deciding before the timeout applies the settings' timeout action.

This program resumes instantiations of small vApps and aborts large ones: a vApp is small when it has at
most --max-vms VMs and at most --max-memory-mb MB of memory in all (read from the vApp being created, the
blocking task's TaskOwner).

    python3 examples/approval_extension.py --amqp-url amqp://guest:guest@127.0.0.1:5672/%2F \\
                                           --vcd-url http://127.0.0.1:8080 --max-memory-mb 4096

It configures the blocking itself (--block, on by default) and needs only pika and requests.
"""

import argparse
import logging
import sys
import xml.etree.ElementTree as ET

import pika
import requests

VCLOUD_NS = 'http://www.vmware.com/vcloud/v1.5'
VMEXT_NS = 'http://www.vmware.com/vcloud/extension/v1.5'
RASD_NS = 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData'
ACCEPT = 'application/*+xml;version=5.5'
SETTINGS_TYPE = 'application/vnd.vmware.admin.blockingTaskSettings+xml'
PARAMS_TYPE = 'application/vnd.vmware.admin.blockingTaskOperationParams+xml'
OPERATION = 'vdcInstantiateVapp'
# Any blocking task, any org and user, for instantiations only.
BINDING = '*.*.*.*.com.vmware.vcloud.event.blockingtask.create.' + OPERATION

log = logging.getLogger('approval-extension')


class Vcd:
    """A system administrator session (only system administrators see and decide blocking tasks)."""

    def __init__(self, base_url, user, password):
        self.base_url = base_url.rstrip('/')
        r = requests.post(self.base_url + '/api/sessions', auth=(user, password), headers={'Accept': ACCEPT}, timeout=10)
        r.raise_for_status()
        self.headers = {'Accept': ACCEPT, 'x-vcloud-authorization': r.headers['x-vcloud-authorization']}

    def url(self, href):
        # Keep only the /api/... path of vCD's absolute hrefs, so requests go to the server we were given.
        return self.base_url + '/api/' + href.split('/api/', 1)[1] if '/api/' in href else self.base_url + href

    def get(self, href):
        r = requests.get(self.url(href), headers=self.headers, timeout=10)
        r.raise_for_status()
        return ET.fromstring(r.content)

    def send(self, method, href, body, content_type):
        h = dict(self.headers, **{'Content-Type': content_type})
        return requests.request(method, self.url(href), headers=h, data=body.encode('utf-8'), timeout=10)


def block_instantiations(vcd, timeout_ms):
    """Makes vdcInstantiateVapp blocking; undecided ones are aborted after timeout_ms."""
    body = ('<vmext:BlockingTaskSettings xmlns:vmext="%s" xmlns:vcloud="%s">'
            '<vmext:TimeoutAction>abort</vmext:TimeoutAction>'
            '<vmext:BlockingTaskOperations><vcloud:Operation>%s</vcloud:Operation></vmext:BlockingTaskOperations>'
            '<vmext:TimeoutInMilliseconds>%d</vmext:TimeoutInMilliseconds></vmext:BlockingTaskSettings>'
            % (VMEXT_NS, VCLOUD_NS, OPERATION, timeout_ms))
    r = vcd.send('PUT', '/api/admin/extension/settings/blockingTask', body, SETTINGS_TYPE)
    if r.status_code != 200:
        raise RuntimeError('PUT blocking task settings answered %d: %s' % (r.status_code, r.text[:300]))
    log.info('vdcInstantiateVapp now blocks (timeout %d ms, then abort)', timeout_ms)


def size_of(vapp):
    """(number of VMs, MB of memory) of a VApp document: the rasd items with ResourceType 4 are memory."""
    vms = vapp.findall('{%s}Children/{%s}Vm' % (VCLOUD_NS, VCLOUD_NS))
    memory = 0
    for item in vapp.iter('{http://schemas.dmtf.org/ovf/envelope/1}Item'):
        if item.findtext('{%s}ResourceType' % RASD_NS) == '4':
            memory += int(item.findtext('{%s}VirtualQuantity' % RASD_NS) or 0)
    return len(vms), memory


class Approver:
    def __init__(self, vcd, max_vms, max_memory_mb, once):
        self.vcd, self.max_vms, self.max_memory_mb, self.once = vcd, max_vms, max_memory_mb, once
        self.decided = 0

    def on_message(self, channel, method, props, body):
        try:
            self.handle(ET.fromstring(body))
        except Exception:   # a message we cannot handle must not stop the others; the timeout still applies
            log.exception('could not decide on %s', method.routing_key)
        channel.basic_ack(method.delivery_tag)
        if self.once and self.decided >= self.once:
            channel.stop_consuming()

    def handle(self, notification):
        # The notification names the blocking task (rel="entity"); the entity resolver finds its href.
        links = {l.get('rel'): l for l in notification.findall('{%s}EntityLink' % VCLOUD_NS)}
        urn = links['entity'].get('id')
        entity = self.vcd.get('/api/entity/' + urn)
        href = next(l.get('href') for l in entity.findall('{%s}Link' % VCLOUD_NS) if l.get('rel') == 'alternate')
        blocking = self.vcd.get(href)
        if blocking.get('status') != 'active':
            return
        owner = blocking.find('{%s}TaskOwner' % VCLOUD_NS)
        vms, memory = size_of(self.vcd.get(owner.get('href')))
        small = vms <= self.max_vms and memory <= self.max_memory_mb
        action = 'resume' if small else 'abort'
        why = '%d VM(s), %d MB of memory: %s (limits %d VMs, %d MB)' % (
            vms, memory, 'approved' if small else 'too large', self.max_vms, self.max_memory_mb)
        body = ('<vmext:BlockingTaskOperationParams xmlns:vmext="%s"><vmext:Message>%s</vmext:Message>'
                '</vmext:BlockingTaskOperationParams>' % (VMEXT_NS, why))
        r = self.vcd.send('POST', href + '/action/' + action, body, PARAMS_TYPE)
        if r.status_code != 204:
            raise RuntimeError('%s %s answered %d: %s' % (action, href, r.status_code, r.text[:300]))
        self.decided += 1
        log.info('%s vApp %r: %s', action, owner.get('name'), why)


def main():
    p = argparse.ArgumentParser(description='Approves small vApp instantiations and aborts large ones.')
    p.add_argument('--amqp-url', default='amqp://guest:guest@127.0.0.1:5672/%2F')
    p.add_argument('--exchange', default='systemExchange', help='the notifications exchange (AmqpExchange setting)')
    p.add_argument('--vcd-url', default='http://127.0.0.1:8080')
    p.add_argument('--user', default='administrator@System')
    p.add_argument('--password', default='vmware')
    p.add_argument('--max-vms', type=int, default=2)
    p.add_argument('--max-memory-mb', type=int, default=4096)
    p.add_argument('--no-block', dest='block', action='store_false', help='leave the blocking settings alone')
    p.add_argument('--timeout-ms', type=int, default=300000, help='blocking timeout to set (default 5 minutes)')
    p.add_argument('--once', type=int, default=0, metavar='N', help='exit after N decisions (for tests)')
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(name)s %(message)s', stream=sys.stdout)

    vcd = Vcd(args.vcd_url, args.user, args.password)
    connection = pika.BlockingConnection(pika.URLParameters(args.amqp_url))
    channel = connection.channel()
    # Same declaration as vCD's (a durable topic exchange), so either side may come first.
    channel.exchange_declare(args.exchange, exchange_type='topic', durable=True)
    queue = channel.queue_declare('', exclusive=True).method.queue
    channel.queue_bind(queue, args.exchange, routing_key=BINDING)
    if args.block:
        block_instantiations(vcd, args.timeout_ms)
    channel.basic_consume(queue, Approver(vcd, args.max_vms, args.max_memory_mb, args.once).on_message)
    log.info('waiting for blocking tasks (%s on %s)', BINDING, args.exchange)
    try:
        channel.start_consuming()
    except KeyboardInterrupt:
        pass
    connection.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
