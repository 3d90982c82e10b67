#!/usr/bin/env python3
"""Orgs, users, metadata and the entity resolver with the real pyvcloud 23.0.4 client (API 5.5).

Usage:
    VCD_MOCK_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:5673/%2F \
        python admin.py --binary PATH_TO_vcd-mock

Needs pyvcloud and pika in the venv (``make pyvcloud-admin`` installs both) and the broker behind
VCD_MOCK_TEST_AMQP_URL (``make`` starts one). The server runs with that broker and an exchange of its own.
Steps: System.create_org, Org.create_user (role from the VCloud's RoleReferences), login as the new user,
Org.get_user, Org.update_org(is_enabled=False) (the user's login is then refused), enable through the
AdminOrg's ``enable`` link; Metadata set/get/update/remove on an org (user and admin view), a vdc and a
task (each write returns a finished task that wait_for_success accepts at once); the user/create
notification read from the broker, its entity URN resolved through the entityResolver link; Org.delete_user,
disable, System.delete_org. Last line: ``pyvcloud X: 1 passed, 0 failed``; exit status 0 on success.
"""

import argparse
import importlib.metadata
import os
import sys
import tempfile
import time
import traceback
import uuid

import pika
from lxml import etree
from pyvcloud.vcd.client import BasicLoginCredentials
from pyvcloud.vcd.client import EntityType
from pyvcloud.vcd.client import MetadataDomain
from pyvcloud.vcd.client import MetadataValueType
from pyvcloud.vcd.client import MetadataVisibility
from pyvcloud.vcd.client import RelationType
from pyvcloud.vcd.client import find_link
from pyvcloud.vcd.exceptions import AccessForbiddenException
from pyvcloud.vcd.exceptions import EntityNotFoundException
from pyvcloud.vcd.exceptions import VcdException
from pyvcloud.vcd.metadata import Metadata
from pyvcloud.vcd.org import Org
from pyvcloud.vcd.system import System

from flow import FlowFailure, Server, check, make_client, step

VCLOUD = '{http://www.vmware.com/vcloud/v1.5}'
ORG, USER, PASSWORD = 'pyorg', 'pyuser', 'secret12'


def login(base_url, log_file, user, org, password):
    client = make_client(base_url, log_file)
    client.set_credentials(BasicLoginCredentials(user, org, password))
    return client


def wait(client, task):
    done = client.get_task_monitor().wait_for_success(task=task, timeout=10, poll_frequency=1)
    check(done.get('status') == 'success', 'metadata task status %r' % done.get('status'))
    check(done.get('operationName') == 'metadataUpdate', 'operationName %r' % done.get('operationName'))
    return done


def exercise_metadata(client, href, what, admin=False):
    step('Metadata on %s: set, get, update, set a number, remove' % what)
    md = Metadata(client, href=href + '/metadata')
    task = wait(client, md.set_metadata('owner', 'team-a', use_admin_endpoint=admin))
    value = md.get_metadata_value('owner', use_admin_endpoint=admin)
    check(value.TypedValue.Value.text == 'team-a', '%s: value %r' % (what, value.TypedValue.Value.text))
    wait(client, Metadata(client, href=href + '/metadata').set_metadata('owner', 'team-b', use_admin_endpoint=admin))
    value = md.get_metadata_value('owner', use_admin_endpoint=admin)
    check(value.TypedValue.Value.text == 'team-b', '%s: updated value %r' % (what, value.TypedValue.Value.text))
    wait(client, Metadata(client, href=href + '/metadata').set_metadata(
        'size', '42', metadata_value_type=MetadataValueType.NUMBER, use_admin_endpoint=admin))
    try:
        Metadata(client, href=href + '/metadata').set_metadata('bad', 'x', metadata_value_type=MetadataValueType.NUMBER)
        raise FlowFailure('%s: a non-number MetadataNumberValue was accepted' % what)
    except VcdException as e:
        step('  bad number refused: %s' % type(e).__name__)
    wait(client, md.remove_metadata('owner', use_admin_endpoint=admin))
    try:
        md.get_metadata_value('owner', use_admin_endpoint=admin)
        raise FlowFailure('%s: removed key still readable' % what)
    except AccessForbiddenException:
        pass
    keys = [e.Key.text for e in Metadata(client, href=href + '/metadata').get_all_metadata(admin).findall(VCLOUD + 'MetadataEntry')]
    check('size' in keys and 'owner' not in keys, '%s: keys %r' % (what, keys))
    return task


def user_create_urn(channel, queue, deadline):
    """The entity URN and resolver href of the first user/create notification on the broker."""
    while time.time() < deadline:
        method, _, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            time.sleep(0.1)
            continue
        root = etree.fromstring(body)
        if root.get('type') != 'com/vmware/vcloud/event/user/create':
            continue
        resolver = next(e.get('href') for e in root if e.get('rel') == 'entityResolver')
        entity = next(e.get('id') for e in root if e.get('rel') == 'entity')
        return resolver, entity
    raise FlowFailure('no user/create notification arrived within the deadline')


def run(base_url, log_file, channel, queue):
    client = login(base_url, log_file, 'administrator', 'System', 'vmware')
    system = System(client, admin_resource=client.get_admin())

    step('System.create_org(%r)' % ORG)
    created = system.create_org(ORG, 'PyVcloud Org', is_enabled=True)
    check(created.get('name') == ORG and created.IsEnabled.text == 'true', 'created org %r' % created.get('name'))
    org = Org(client, resource=client.get_org_by_name(ORG))

    step('Org.create_user(%r) with the vApp User role from RoleReferences' % USER)
    roles = client.get_admin().RoleReferences.RoleReference
    role_href = next(r.get('href') for r in roles if r.get('name') == 'vApp User')
    user = org.create_user(USER, PASSWORD, role_href, full_name='Py User', is_enabled=True)
    check(user.get('name') == USER and user.Role.get('name') == 'vApp User', 'created user %r' % user.get('name'))
    login(base_url, log_file, USER, ORG, PASSWORD).logout()

    # Org.get_user and Org.delete_user find users through the query service (type=adminUser); on a server
    # without it they cannot work, so the user's href is used instead and the script says so.
    queries = client.get_query_list()
    by_query = any('type=adminUser' in (link.get('href') or '') for link in queries.findall(VCLOUD + 'Link'))
    if by_query:
        step('Org.get_user(%r)' % USER)
        got = org.get_user(USER)
    else:
        step('NOTE: the server offers no adminUser query: Org.get_user/delete_user replaced by the user href')
        got = client.get_resource(user.get('href'))
    check(got.get('href') == user.get('href'), 'get_user href %r' % got.get('href'))

    step('Org.update_org(is_enabled=False): logins are refused')
    disabled = org.update_org(is_enabled=False)
    check(disabled.IsEnabled.text == 'false', 'IsEnabled after update %r' % disabled.IsEnabled.text)
    try:
        login(base_url, log_file, USER, ORG, PASSWORD)
        raise FlowFailure('a user of a disabled org could log in')
    except VcdException as e:
        step('  login refused: %s' % type(e).__name__)
    step('enable through the AdminOrg enable link')
    client.post_linked_resource(client.get_resource(org.href_admin), RelationType.ENABLE, None, None)
    check(client.get_resource(org.href_admin).IsEnabled.text == 'true', 'org not enabled again')
    login(base_url, log_file, USER, ORG, PASSWORD).logout()

    org_href = org.href
    task = exercise_metadata(client, org_href, 'org %s' % ORG)
    exercise_metadata(client, org_href, 'org %s (admin view)' % ORG, admin=True)
    acme = client.get_org_by_name('acme')
    vdc_href = find_link(acme, RelationType.DOWN, EntityType.VDC.value).href
    exercise_metadata(client, vdc_href, 'vdc acme-vdc')
    exercise_metadata(client, task.get('href'), 'task %s' % task.get('id'))

    step('resolve the URN of the user/create notification read from the broker')
    resolver, urn = user_create_urn(channel, queue, time.time() + 20)
    check(resolver == base_url + '/api/entity/', 'resolver href %r' % resolver)
    entity = client.get_resource(resolver + urn)
    alternate = find_link(entity, RelationType.ALTERNATE, EntityType.USER.value)
    check(client.get_resource(alternate.href).get('name') == USER, 'resolved entity is not %s' % USER)

    if by_query:
        step('Org.delete_user(%r)' % USER)
        org.delete_user(USER)
        try:
            org.get_user(USER)
            raise FlowFailure('deleted user still found')
        except EntityNotFoundException:
            pass
    else:
        step('delete the user through its href (no adminUser query)')
        client.delete_resource(user.get('href'))
        try:
            client.get_resource(user.get('href'))
            raise FlowFailure('deleted user still readable')
        except AccessForbiddenException:
            pass

    step('disable, then System.delete_org(%r)' % ORG)
    org.update_org(is_enabled=False)
    system.delete_org(ORG)
    try:
        client.get_org_by_name(ORG)
        raise FlowFailure('deleted org still listed')
    except EntityNotFoundException:
        pass
    client.logout()
    step('admin flow completed')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--binary', required=True, help='path to the vcd-mock executable')
    args = parser.parse_args()
    amqp_url = os.environ.get('VCD_MOCK_TEST_AMQP_URL')
    if not amqp_url:
        print('admin.py: VCD_MOCK_TEST_AMQP_URL is not set (make pyvcloud-admin starts a broker)', flush=True)
        return 1
    version = importlib.metadata.version('pyvcloud')
    exchange = 'vcdmock-admin-' + uuid.uuid4().hex[:8]
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.exchange_declare(exchange, exchange_type='topic', durable=True)
    queue = channel.queue_declare('', exclusive=True).method.queue
    channel.queue_bind(queue, exchange, routing_key='#')

    log_fd, log_file = tempfile.mkstemp(prefix='pyvcloud-admin-', suffix='.log')
    os.close(log_fd)
    server = Server(os.path.abspath(args.binary), None)
    server.cmd += ['--amqp-url', amqp_url, '--amqp-exchange', exchange]
    failed = []
    try:
        try:
            run(server.start(), log_file, channel, queue)
        except BaseException as e:  # noqa: B902 - report everything
            print('[admin] FAILED: %s: %s' % (type(e).__name__, e), flush=True)
            traceback.print_exc()
            failed.append('flow')
    finally:
        msg = server.stop()
        if msg is not None:
            print('[admin] FAILED: ' + msg, flush=True)
            failed.append(msg)
        channel.exchange_delete(exchange)
        connection.close()
        os.unlink(log_file)
    print('pyvcloud %s admin: %d passed, %d failed' % (version, 0 if failed else 1, 1 if failed else 0), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
