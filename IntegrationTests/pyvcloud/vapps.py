#!/usr/bin/env python3
"""vApps through the real pyvcloud client (API 5.5, XML): instantiate, power, undeploy, delete.

Usage:
    python vapps.py --binary PATH_TO_vcd-mock

Starts the server with --task-duration 0.3 (as flow.py does otherwise), logs in as alice@acme and runs
VDC.instantiate_vapp from the fixture template centos7, wait_for_success on its task, VApp.power_on,
power_off, undeploy, VDC.delete_vapp and list_resources, checking the vApp's state after each task; then
VDC.create_vapp (composeVApp), Org.list_catalog_items, get_typed_query for vm, vAppTemplate and catalogItem
(alice) and their admin forms plus VDC.query_vm_by_name (administrator@System).
Last line: ``vapps.py pyvcloud X: 1 passed, 0 failed``.
"""

import argparse
import importlib.metadata
import os
import sys
import tempfile
import traceback

from pyvcloud.vcd.client import BasicLoginCredentials
from pyvcloud.vcd.client import EntityType
from pyvcloud.vcd.client import QueryResultFormat
from pyvcloud.vcd.org import Org
from pyvcloud.vcd.vapp import VApp
from pyvcloud.vcd.vdc import VDC

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flow import Server, check, localname, make_client, step  # noqa: E402

TIMEOUT = 30


def wait(client, task, what):
    t = client.get_task_monitor().wait_for_success(task, timeout=TIMEOUT, poll_frequency=0.1)
    check(t.get('status') == 'success', '%s: task ended %s' % (what, t.get('status')))
    step('%s: task %s (%s) succeeded' % (what, t.get('operationName'), t.get('id')))
    return t


def state(vapp):
    vapp.reload()
    return vapp.resource.get('status'), vapp.resource.get('deployed')


def run(base_url, log_file):
    client = make_client(base_url, log_file)
    # pyvcloud 23 compares API versions as strings ('5.5' < '33.0' is False), so at 5.5 Org.get_vdc and
    # get_catalog (which instantiate_vapp calls) take the API 33 records-query path; run at 33.0, where
    # both the mock and pyvcloud agree. The vApp documents are the same at every version.
    client._api_version = '33.0'
    client.set_credentials(BasicLoginCredentials('alice', 'acme', 'alice'))
    org = Org(client, resource=client.get_org())
    vdc = VDC(client, resource=org.get_vdc('acme-vdc'))

    created = vdc.instantiate_vapp('pyweb', 'acme-catalog', 'centos7', deploy=False, power_on=False)
    check(created.get('status') == '0', 'a new vApp is UNRESOLVED (0), got %s' % created.get('status'))
    task = created.Tasks.Task[0]
    check(task.get('operationName') == 'vdcInstantiateVapp', 'instantiate task is vdcInstantiateVapp')
    wait(client, task, 'instantiate')

    vdc.reload()
    names = {r['name']: r['type'] for r in vdc.list_resources()}
    check(names.get('pyweb') == EntityType.VAPP.value, 'list_resources shows the vApp: %r' % names)
    check(names.get('centos7') == EntityType.VAPP_TEMPLATE.value, 'list_resources shows the template: %r' % names)

    queries(client, 'pyweb')

    vapp = VApp(client, href=created.get('href'))
    check(state(vapp) == ('8', 'false'), 'instantiated without deploy: powered off, not deployed: %r' % (state(vapp),))
    wait(client, vapp.power_on(), 'power_on')
    check(state(vapp) == ('4', 'true'), 'powered on and deployed: %r' % (state(vapp),))
    wait(client, vapp.power_off(), 'power_off')
    check(state(vapp) == ('8', 'true'), 'powered off but still deployed: %r' % (state(vapp),))
    wait(client, vapp.undeploy(), 'undeploy')
    check(state(vapp) == ('8', 'false'), 'undeployed: %r' % (state(vapp),))

    vdc.reload()
    wait(client, vdc.delete_vapp('pyweb'), 'delete_vapp')
    vdc.reload()
    names = [r['name'] for r in vdc.list_resources()]
    check('pyweb' not in names, 'the deleted vApp is gone from list_resources: %r' % names)
    compose(client, vdc)
    client.logout()
    admin_queries(base_url, log_file)


def records(client, type_name, fmt=QueryResultFormat.RECORDS, **kw):
    return list(client.get_typed_query(type_name, query_result_format=fmt, **kw).execute())


def queries(client, vapp_name):
    """The vm, vAppTemplate and catalogItem query types and Org.list_catalog_items, as alice."""
    org = Org(client, resource=client.get_org())
    items = sorted(i['name'] for i in org.list_catalog_items('acme-catalog'))
    check(items == ['centos7', 'web-stack'], 'list_catalog_items: %r' % items)
    vms = records(client, 'vm', equality_filter=('containerName', vapp_name))
    check([(v.get('name'), v.get('isVAppTemplate'), v.get('status')) for v in vms] == [('centos7-vm', 'false', 'POWERED_OFF')],
          'vm records of %s: %r' % (vapp_name, [dict(v.attrib) for v in vms]))
    check(client.get_resource(vms[0].get('href')).get('name') == 'centos7-vm', 'the vm record href answers the Vm')
    in_templates = records(client, 'vm', QueryResultFormat.ID_RECORDS, qfilter='isVAppTemplate==true', page_size=2)
    check(sorted(v.get('name') for v in in_templates) == ['centos7-vm', 'db', 'web'],
          'template VMs (paged by 2): %r' % [v.get('name') for v in in_templates])
    templates = records(client, 'vAppTemplate', QueryResultFormat.ID_RECORDS, qfilter='catalogName==acme-catalog')
    check(sorted(t.get('name') for t in templates) == ['centos7', 'web-stack']
          and all(t.get('id', '').startswith('urn:vcloud:vapptemplate:') for t in templates),
          'vAppTemplate idrecords: %r' % [dict(t.attrib) for t in templates])
    refs = records(client, 'catalogItem', QueryResultFormat.REFERENCES, equality_filter=('name', 'web-stack'))
    check(len(refs) == 1, 'catalogItem references: %r' % [dict(r.attrib) for r in refs])
    item = client.get_resource(refs[0].get('href'))
    check(item.get('name') == 'web-stack' and 'vappTemplate-' in item.Entity.get('href'), 'the reference answers the CatalogItem')
    step('queries: list_catalog_items, vm, vAppTemplate, catalogItem ok')


def compose(client, vdc):
    """vcd vapp create NAME without a template: VDC.create_vapp posts ComposeVAppParams."""
    created = vdc.create_vapp('pyempty', description='composed', accept_all_eulas=False)
    task = created.Tasks.Task[0]
    check(task.get('operationName') == 'vdcComposeVapp', 'compose task: %s' % task.get('operationName'))
    wait(client, task, 'create_vapp')
    vapp = VApp(client, href=created.get('href'))
    check(state(vapp) == ('1', 'false'), 'an empty composed vApp is RESOLVED (1): %r' % (state(vapp),))
    vdc.reload()
    check('pyempty' in [r['name'] for r in vdc.list_resources(EntityType.VAPP)], 'list_resources shows the composed vApp')
    wait(client, vdc.delete_vapp('pyempty'), 'delete_vapp (composed)')


def admin_queries(base_url, log_file):
    """adminVM, adminVAppTemplate, adminCatalogItem and VDC.query_vm_by_name as the system administrator."""
    admin = make_client(base_url, log_file)
    admin._api_version = '33.0'
    admin.set_credentials(BasicLoginCredentials('administrator', 'System', 'vmware'))
    billing = records(admin, 'adminVApp', equality_filter=('name', 'billing'))
    check(len(billing) == 1, 'adminVApp billing: %r' % [dict(r.attrib) for r in billing])
    vm = VDC(admin, href=billing[0].get('vdc')).query_vm_by_name('billing-vm')
    check(localname(vm) == 'Vm' and vm.get('name') == 'billing-vm', 'query_vm_by_name: %s' % vm.get('name'))
    names = sorted(r.get('name') for r in records(admin, 'adminVM', page_size=2))
    check(names == ['billing-vm', 'centos7-vm', 'db', 'web'], 'adminVM: %r' % names)
    for type_name in ('adminVAppTemplate', 'adminCatalogItem'):
        for fmt in (QueryResultFormat.RECORDS, QueryResultFormat.ID_RECORDS, QueryResultFormat.REFERENCES):
            got = sorted(r.get('name') for r in records(admin, type_name, fmt, qfilter='catalogName==acme-catalog'))
            check(got == ['centos7', 'web-stack'], '%s %s: %r' % (type_name, fmt.value[1], got))
    step('administrator: adminVM, query_vm_by_name, adminVAppTemplate, adminCatalogItem ok')
    admin.logout()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--binary', required=True)
    args = parser.parse_args()
    version = importlib.metadata.version('pyvcloud')
    log_fd, log_file = tempfile.mkstemp(prefix='pyvcloud-vapps-', suffix='.log')
    os.close(log_fd)
    server = Server(os.path.abspath(args.binary), None)
    server.cmd += ['--task-duration', '0.3']
    failed = 0
    try:
        run(server.start(), log_file)
    except BaseException as e:  # noqa: B902 - report everything
        print('[vapps] FAILED: %s: %s' % (type(e).__name__, e), flush=True)
        traceback.print_exc()
        failed = 1
    finally:
        problem = server.stop()
        if problem:
            print('[vapps] FAILED: ' + problem, flush=True)
            failed = 1
    print('vapps.py pyvcloud %s: %d passed, %d failed' % (version, 1 - failed, failed), flush=True)
    sys.exit(failed)


if __name__ == '__main__':
    main()
