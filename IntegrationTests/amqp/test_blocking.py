"""Blocking tasks end to end: examples/approval_extension.py consumes blockingtask/create from the real broker
and, over HTTP as system administrator, resumes the small instantiation and aborts the large one.
"""

import os
import uuid
import xml.etree.ElementTree as ET

import extension_support as ext
import support
from support import ACCEPT, VCLOUD_NS

EXAMPLE = os.path.join(support.ROOT, 'examples', 'approval_extension.py')
INSTANTIATE_TYPE = 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml'


def Approver(*args):
    """examples/approval_extension.py as a subprocess (extension_support.ExampleProcess)."""
    return ext.ExampleProcess(*args, script=EXAMPLE, ready='waiting for blocking tasks')


def xml(r):
    return ET.fromstring(r.content)


def link(doc, type_):
    return next(l.get('href') for l in doc.findall('{%s}Link' % VCLOUD_NS) if l.get('type') == type_)


def instantiate(srv, alice, template_name, name):
    """What a client does: org → vdc and catalog → item → template → POST to the vdc (201 VApp)."""
    org = xml(srv.expect(200, 'GET', '/api/org/%s' % alice.org_id, token=alice.token))
    vdc = xml(srv.expect(200, 'GET', link(org, 'application/vnd.vmware.vcloud.vdc+xml'), token=alice.token))
    catalog = xml(srv.expect(200, 'GET', link(org, 'application/vnd.vmware.vcloud.catalog+xml'), token=alice.token))
    item_href = next(i.get('href') for i in catalog.iter('{%s}CatalogItem' % VCLOUD_NS) if i.get('name') == template_name)
    item = xml(srv.expect(200, 'GET', item_href, token=alice.token))
    template = item.find('{%s}Entity' % VCLOUD_NS).get('href')
    body = ('<InstantiateVAppTemplateParams xmlns="%s" name="%s" deploy="true" powerOn="true">'
            '<Source href="%s"/></InstantiateVAppTemplateParams>' % (VCLOUD_NS, name, template))
    r = srv.expect(201, 'POST', link(vdc, INSTANTIATE_TYPE), token=alice.token, data=body,
                   headers={'Content-Type': INSTANTIATE_TYPE})
    vapp = xml(r)
    task = vapp.find('{%s}Tasks/{%s}Task' % (VCLOUD_NS, VCLOUD_NS))
    assert task.get('status') == 'preRunning', 'a blocked instantiation waits in preRunning, not %r' % task.get('status')
    return vapp.get('href'), task.get('href')


def final_task(srv, alice, href, example):
    def done():
        t = xml(srv.expect(200, 'GET', href, token=alice.token))
        return t if t.get('status') in ('success', 'error', 'aborted', 'canceled') else None
    try:
        return support.wait_until(done, 30, 'task %s ends' % href, interval=0.2)
    except AssertionError as e:
        raise AssertionError('%s\nexample output:\n%s' % (e, example.output())) from None


def test_example_resumes_small_and_aborts_large_instantiations(vcd, broker):
    exchange = 'vcdmock-blocking-' + uuid.uuid4().hex[:8]    # this test's own: nobody else's messages
    srv = vcd('--amqp-exchange', exchange, '--task-duration', '1')
    alice = srv.login('alice', 'acme', 'alice')
    example = Approver('--amqp-url', broker.url, '--exchange', exchange, '--vcd-url', srv.base,
                       '--max-vms', '2', '--max-memory-mb', '4096', '--once', '2')
    try:
        example.wait_ready()
        small_vapp, small_task = instantiate(srv, alice, 'centos7', 'small')          # 1 VM, 1024 MB
        large_vapp, large_task = instantiate(srv, alice, 'web-stack', 'large')        # 2 VMs, 10240 MB

        small = final_task(srv, alice, small_task, example)
        assert small.get('status') == 'success', 'small vApp task: %s' % ET.tostring(small)[:600]
        assert 'approved' in (small.findtext('{%s}Details' % VCLOUD_NS) or ''), 'the Message lands in Details'
        vapp = xml(srv.expect(200, 'GET', small_vapp, token=alice.token))
        assert vapp.get('status') == '4', 'the approved vApp is powered on, status %r' % vapp.get('status')

        large = final_task(srv, alice, large_task, example)
        assert large.get('status') == 'aborted', 'large vApp task: %s' % ET.tostring(large)[:600]
        error = large.find('{%s}Error' % VCLOUD_NS)
        assert error is not None and 'too large' in error.get('message', ''), ET.tostring(large)[:600]
        r = srv.request('GET', large_vapp, token=alice.token)
        assert r.status_code == 403, 'an aborted instantiation leaves no vApp; GET answered %d' % r.status_code

        assert example.proc.wait(timeout=15) == 0, 'example (--once 2) exit code:\n%s' % example.output()
        admin = srv.login()
        listed = xml(srv.expect(200, 'GET', '/api/admin/extension/blockingTasks/', token=admin.token,
                                headers={'Accept': ACCEPT}))
        states = sorted(xml(srv.expect(200, 'GET', ref.get('href'), token=admin.token)).get('status')
                        for ref in listed.findall('{%s}Reference' % VCLOUD_NS))
        assert states == ['aborted', 'resumed'], 'blocking tasks after the decisions: %r' % states
    finally:
        example.stop()
        try:
            broker.delete_exchanges(exchange)
        except Exception:  # noqa: BLE001 - best effort
            pass
