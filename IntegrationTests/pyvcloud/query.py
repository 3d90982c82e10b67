#!/usr/bin/env python3
"""The query service (reference §7.3) through the real pyvcloud client (API 5.5, XML).

Usage:
    python query.py --binary PATH_TO_vcd-mock

Starts the server (as flow.py does), creates tasks and an extension service as administrator@System,
then checks: get_typed_query for every type in every format with a filter and with page_size=2 (every
record must still come back), Org.list_catalogs, list_users, list_roles, APIExtension.list_extensions, the
events of a created task read back through adminEvent, a tenant's view, and the Org query link shape
pyvcloud 23 follows for vdcs at API >= 33. Last line: ``query.py pyvcloud X: 1 passed, 0 failed``.
"""

import argparse
import importlib.metadata
import os
import sys
import tempfile
import traceback
import urllib.parse

from lxml import objectify
from pyvcloud.vcd.api_extension import APIExtension
from pyvcloud.vcd.client import BasicLoginCredentials
from pyvcloud.vcd.client import EntityType
from pyvcloud.vcd.client import QueryResultFormat
from pyvcloud.vcd.org import Org
from pyvcloud.vcd.task import Task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flow import FlowFailure, Server, check, localname, make_client, step  # noqa: E402

NS = 'org.example.vcd.query'
FORMATS = (QueryResultFormat.RECORDS, QueryResultFormat.ID_RECORDS, QueryResultFormat.REFERENCES)
ODD_NAME = 'query,task (odd); name'


def login(base_url, log_file, user, org, password):
    client = make_client(base_url, log_file)
    client.set_credentials(BasicLoginCredentials(user, org, password))
    return client


def identity(r):
    return r.get('href') or r.get('id') or tuple(sorted(r.attrib.items()))


def fetch(client, type_name, fmt, **kw):
    return list(client.get_typed_query(type_name, query_result_format=fmt, **kw).execute())


def create_tasks(client, org_href, count):
    """Service tasks in acme: query-task-1..count (the first ends with success), plus one odd name."""
    api = Task(client)
    session = client.get_resource(client.get_api_uri() + '/session')
    user_href = '%s/admin/user/%s' % (client.get_api_uri(), session.get('userId').split(':')[-1])

    def update(name, status, task_href=None):
        return api.update(status=status, namespace=NS, operation=name, operation_name=name, details='query.py',
                          progress=10, owner_href=org_href, owner_name='acme', owner_type=EntityType.ORG.value,
                          user_href=user_href, user_name='administrator', org_href=org_href, task_href=task_href)

    tasks = []
    for i in range(1, count + 1):
        t = update('query-task-%d' % i, 'running')
        tasks.append(t)
    # pyvcloud's Task.update always names the task "task"; operationName tells them apart.
    update('query-task-1', 'success', task_href=tasks[0].get('href'))
    update(ODD_NAME, 'running')
    return tasks


# (type, filter, expected number of matches) as administrator@System after setup.
def cases(service_id):
    return [
        ('organization', 'name==acme', 1),
        ('task', 'operationName==query-task-*', 5),
        ('adminTask', 'operationName==query-task-*;status==running', 4),
        ('event', 'serviceNamespace==%s;entityType==task' % NS, 7),
        ('adminEvent', 'eventType==*/task/complete;eventStatus==0', 1),
        ('user', 'name==a*', 2),
        ('adminUser', 'name==a*,name==bob', 3),
        ('catalog', 'name==*-catalog', 2),
        ('adminCatalog', 'name==acme*', 1),
        ('orgVdc', 'name==*vdc', 2),
        ('adminOrgVdc', 'orgName==globex', 1),
        ('orgNetwork', 'name==*-net', 2),
        ('adminOrgNetwork', '(name==acme-net,name==globex-net);orgName==acme', 1),
        ('role', 'name==*Administrator', 4),  # System: System + Organization Administrator; acme, globex: one each
        ('adminRole', 'orgName==acme', 4),
        ('adminService', 'name==query-ext', 1),
        ('apiFilter', 'service==%s' % service_id, 2),
        # Fixtures: acme's templates centos7 (1 VM) and web-stack (2 VMs), globex's running vApp billing (1 VM).
        ('vApp', 'name==billing', 1),
        ('adminVApp', 'ownerName==bob;status==POWERED_ON', 1),
        ('vm', 'isVAppTemplate==true', 3),
        ('adminVM', 'containerName==billing', 1),
        ('vAppTemplate', 'catalogName==acme-catalog', 2),
        ('adminVAppTemplate', 'name==web*', 1),
        ('catalogItem', 'entityType==vapptemplate', 2),
        ('adminCatalogItem', 'name==centos7', 1),
    ]


def check_every_type(admin, service_id):
    for type_name, qfilter, expected in cases(service_id):
        for fmt in FORMATS:
            everything = fetch(admin, type_name, fmt, page_size=128)
            paged = fetch(admin, type_name, fmt, page_size=2)
            check(len(everything) > 0, '%s/%s: no records at all' % (type_name, fmt.value[1]))
            check(sorted(map(str, map(identity, paged))) == sorted(map(str, map(identity, everything))),
                  '%s/%s: page_size=2 gave %d records, page_size=128 gave %d'
                  % (type_name, fmt.value[1], len(paged), len(everything)))
            matched = fetch(admin, type_name, fmt, page_size=2, qfilter=qfilter)
            check(len(matched) == expected, '%s/%s filter %r: %d records, expected %d'
                  % (type_name, fmt.value[1], qfilter, len(matched), expected))
            if fmt == QueryResultFormat.ID_RECORDS:
                check(all((r.get('id') or '').startswith('urn:vcloud:') for r in matched),
                      '%s idrecords without URN ids: %r' % (type_name, [dict(r.attrib) for r in matched]))
            # One page as pyvcloud returns it with page=: resultTotal is the filtered total.
            first = admin.get_typed_query(type_name, query_result_format=fmt, page=1, page_size=1,
                                          qfilter=qfilter).execute()
            check(first['resultTotal'] == expected and len(first['values']) == 1,
                  '%s page 1: %r' % (type_name, first))
        step('  %-16s %d records, filter %r -> %d (records, idrecords, references; page_size 2)'
             % (type_name, len(everything), qfilter, expected))


def run(base_url, log_file):
    admin = login(base_url, log_file, 'administrator', 'System', 'vmware')
    acme_href = admin.get_org_by_name('acme').get('href')
    step('creating tasks and an extension service')
    tasks = create_tasks(admin, acme_href, 5)
    ext = APIExtension(admin)
    ext.add_extension('query-ext', 'query-ns', 'query-key', 'query-exchange',
                      ['/api/query-ext/.*', '/api/query-ext-two/.*'], description='query.py')
    services = ext.list_extensions()
    mine = [s for s in services if s['name'] == 'query-ext']
    check(len(mine) == 1 and mine[0]['namespace'] == 'query-ns' and mine[0]['routingKey'] == 'query-key',
          'list_extensions: %r' % services)
    step('  list_extensions: %r' % mine)
    info = ext.get_extension_info('query-ext', namespace='query-ns')
    check(info.get('filter_1') and info.get('filter_2'), 'get_extension_info filters: %r' % info)

    step('get_typed_query: every type, every format, filter, page_size 2')
    check_every_type(admin, mine[0]['id'])

    step('sort and dates')
    desc = fetch(admin, 'adminTask', QueryResultFormat.RECORDS, qfilter='serviceNamespace==' + NS,
                 sort_desc='operationName')
    names = [r.get('operationName') for r in desc]
    check(names == sorted(names, key=str.lower, reverse=True), 'sortDesc=operationName: %r' % names)
    started = tasks[0].get('startTime')
    later = fetch(admin, 'adminTask', QueryResultFormat.RECORDS,
                  qfilter='startDate=ge=%s' % urllib.parse.quote(started))
    check(len(later) >= 6, 'startDate=ge=%s: %d records' % (started, len(later)))

    step('a value with , ; ( ) in it (filterEncoded at API 5.5)')
    # Below API 35 pyvcloud passes equality_filter values raw; qfilter values are url-encoded by the caller.
    odd = fetch(admin, 'adminTask', QueryResultFormat.RECORDS,
                qfilter='operationName==' + urllib.parse.quote(ODD_NAME, safe=''))
    check([r.get('operationName') for r in odd] == [ODD_NAME], 'filter on %r: %r' % (ODD_NAME, odd))

    step('events of a created task, read back through adminEvent')
    href = tasks[0].get('href')
    events = fetch(admin, 'adminEvent', QueryResultFormat.RECORDS,
                   qfilter='entity==%s' % urllib.parse.quote(href, safe=''), sort_asc='timeStamp')
    types = [e.get('eventType') for e in events]
    check(types == ['com/vmware/vcloud/event/task/create', 'com/vmware/vcloud/event/task/complete'],
          'events of %s: %r' % (href, types))
    check(all(e.get('entity') == href and e.get('entityType') == 'task' and e.get('orgName') == 'acme'
              and e.get('serviceNamespace') == NS for e in events), 'event records: %r' % [dict(e.attrib) for e in events])

    step('Org.list_catalogs and Org.list_users (sysadmin)')
    acme = Org(admin, href=acme_href)
    catalogs = acme.list_catalogs()
    check(sorted(c['name'] for c in catalogs) == ['acme-catalog', 'globex-catalog'],
          'sysadmin list_catalogs (adminCatalog lists every org): %r' % catalogs)
    users = [u.get('name') for u in acme.list_users()]
    check(users == ['alice'], 'sysadmin list_users on acme (org== filter): %r' % users)

    roles = sorted(r['name'] for r in acme.list_roles())
    check(roles == ['Console Access Only', 'Organization Administrator', 'vApp Author', 'vApp User'], 'sysadmin list_roles: %r' % roles)

    step('the Org query link pyvcloud 23 follows for vdcs at API >= 33')
    acme_id = acme_href.rstrip('/').split('/')[-1]
    link_href = '%s/query?type=vdc&format=records&filter=org==%s' % (admin.get_api_uri(), acme_id)
    fake_org = objectify.fromstring(
        '<Org xmlns="http://www.vmware.com/vcloud/v1.5"><Link rel="down" type="%s" href="%s"/></Org>'
        % ('application/vnd.vmware.vcloud.query.records+xml', link_href.replace('&', '&amp;')))
    vdcs = admin.get_resource_link_from_query_object(
        fake_org, media_type='application/vnd.vmware.vcloud.query.records+xml', type='vdc')
    check([v.name for v in vdcs] == ['acme-vdc'] and vdcs[0].href.endswith('/api/vdc/' + vdcs[0].href.split('/')[-1]),
          'vdc query link: %r' % [(v.name, v.href) for v in vdcs])

    step('tenant alice@acme: own org only, admin types not offered')
    alice = login(base_url, log_file, 'alice', 'acme', 'alice')
    alice_tasks = fetch(alice, 'task', QueryResultFormat.ID_RECORDS, page_size=2)
    check(len(alice_tasks) == 6 and all(t.get('orgName') == 'acme' for t in alice_tasks),
          'alice task query: %r' % [dict(t.attrib) for t in alice_tasks])
    check(sorted(c['name'] for c in Org(alice, href=acme_href).list_catalogs()) == ['acme-catalog'],
          'alice list_catalogs')
    check([u.get('name') for u in Org(alice, href=acme_href).list_users()] == ['alice'], 'alice list_users')
    check(len(Org(alice, href=acme_href).list_roles()) == 4, 'alice list_roles')
    try:
        fetch(alice, 'adminTask', QueryResultFormat.RECORDS)
        raise FlowFailure('alice could run adminTask')
    except FlowFailure:
        raise
    except Exception as e:  # pyvcloud: no QueryList link for the type
        step('  adminTask refused for alice: %s: %s' % (type(e).__name__, e))
    for c in (admin, alice):
        c.logout()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--binary', required=True)
    args = parser.parse_args()
    version = importlib.metadata.version('pyvcloud')
    log_fd, log_file = tempfile.mkstemp(prefix='pyvcloud-query-', suffix='.log')
    os.close(log_fd)
    server = Server(os.path.abspath(args.binary), None)
    failed = []
    try:
        try:
            run(server.start(), log_file)
        except BaseException as e:  # noqa: B902 - report everything
            print('[query] FAILED: %s: %s' % (type(e).__name__, e), flush=True)
            traceback.print_exc()
            failed.append(e)
    finally:
        msg = server.stop()
        if msg:
            print('[query] FAILED: ' + msg, flush=True)
            failed.append(msg)
        os.unlink(log_file)
    print('query.py pyvcloud %s: %d passed, %d failed' % (version, 0 if failed else 1, 1 if failed else 0), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
