"""What the server publishes, field by field, with the broker healthy (reference §6.3)."""

import support
from support import (ACME_ORG_ID, JSON_EXCHANGE, OPERATION_NAME, SESSION_LOGIN, TASK_ABORT, TASK_COMPLETE,
                     TASK_CREATE, TASK_FAIL, XML_EXCHANGE)


def wait_both(c, type_, entity, timeout, what, user=None):
    """Waits for the XML and the JSON notification of one event; returns (xml, json)."""
    def both(_):
        x = c.find(type_, entity, XML_EXCHANGE, user)
        j = c.find(type_, entity, JSON_EXCHANGE, user)
        return (x[0], j[0]) if x and j else None
    return c.wait_for(both, timeout, '%s (%s on %s and %s)' % (what, type_, XML_EXCHANGE, JSON_EXCHANGE))


def assert_pair(pair, what, **expected):
    problems = []
    for m in pair:
        problems += ['%s: %s' % (m.exchange, p) for p in support.check_notification(m, **expected)]
    xml_id, json_id = pair[0].event_id, pair[1].event_id
    if xml_id != json_id:
        problems.append('XML eventId %r != JSON eventId %r (one event, two formats)' % (xml_id, json_id))
    assert not problems, '%s:\n  %s\n%s\n%s' % (what, '\n  '.join(problems), pair[0].describe(), pair[1].describe())


def test_status_endpoint(vcd):
    srv = vcd()
    srv.wait_connected()
    st = srv.amqp_status()
    for key, kind in support.STATUS_KEYS.items():
        assert key in st, 'GET /mock/amqp has no %r: %r' % (key, st)
        assert type(st[key]) is kind, 'GET /mock/amqp %r=%r is not %s' % (key, st[key], kind.__name__)
    assert 'lastError' in st and (st['lastError'] is None or isinstance(st['lastError'], str)), \
        'GET /mock/amqp lastError must be a string or null: %r' % st


def test_task_lifecycle(vcd, broker, consumer):
    # The server, not the test, must declare the exchanges: start from a broker without them.
    broker.delete_exchanges()
    srv = vcd()
    srv.wait_connected()
    for ex in (XML_EXCHANGE, JSON_EXCHANGE):
        support.wait_until(lambda: broker.exchange_exists(ex), 10, 'server declares exchange %s' % ex)
        broker.check_exchange_kind(ex)
    c = consumer()
    admin = srv.login()

    t1 = srv.post_task(admin)
    srv.put_task(admin, t1, 'running', progress=50)     # progress only: no notification
    srv.put_task(admin, t1, 'success', progress=100)
    t2 = srv.post_task(admin)
    srv.put_task(admin, t2, 'error', error='simulated backup failure')
    t3 = srv.post_task(admin)
    srv.cancel_task(admin, t3)
    t4 = srv.post_task(admin)
    srv.put_task(admin, t4, 'aborted', error='simulated abort')

    expected = [  # (task, type, operationSuccess as README's table says)
        (t1, TASK_CREATE, True), (t1, TASK_COMPLETE, True),
        (t2, TASK_CREATE, True), (t2, TASK_FAIL, False),
        (t3, TASK_CREATE, True), (t3, TASK_ABORT, True),    # cancel: the abort the caller asked for succeeded
        (t4, TASK_CREATE, True), (t4, TASK_ABORT, False),   # PUT aborted: the task's own work failed
    ]
    for task, type_, success in expected:
        what = 'task %s %s' % (task, type_.rsplit('/', 1)[-1])
        pair = wait_both(c, type_, task, 30, what)
        assert_pair(pair, what, type_=type_, entity_kind='task', entity_uuid=task, org_uuid=ACME_ORG_ID,
                    user_uuid=admin.user_id, success=success, suffix=OPERATION_NAME)

    # Notifications leave in order, so anything the progress PUT published arrived before t4's abort.
    for task, allowed in ((t1, {TASK_CREATE, TASK_COMPLETE}), (t2, {TASK_CREATE, TASK_FAIL}),
                          (t3, {TASK_CREATE, TASK_ABORT}), (t4, {TASK_CREATE, TASK_ABORT})):
        extra = [m for m in c.find(entity=task) if m.type not in allowed]
        assert not extra, 'task %s: unexpected notifications (a progress update must not notify):\n%s' \
            % (task, '\n'.join(m.describe() for m in extra))


def test_login_notification(vcd, consumer):
    srv = vcd()
    srv.wait_connected()
    c = consumer()
    alice = srv.login('alice', 'acme', 'alice')
    assert alice.org_id == ACME_ORG_ID, 'alice@acme session links org %r' % alice.org_id
    pair = c.wait_for(lambda _: (lambda x, j: (x[0], j[0]) if x and j else None)(
        c.find(SESSION_LOGIN, exchange=XML_EXCHANGE, user=alice.user_id),
        c.find(SESSION_LOGIN, exchange=JSON_EXCHANGE, user=alice.user_id)), 30, 'session/login of alice@acme')
    entity = pair[0].entity or ''
    kind = pair[0].headers.get('notification.entityType') or ''
    assert entity and kind, 'login notification without entityUUID/entityType headers:\n' + pair[0].describe()
    assert_pair(pair, 'session/login of alice', type_=SESSION_LOGIN, entity_kind=kind, entity_uuid=entity,
                org_uuid=ACME_ORG_ID, user_uuid=alice.user_id, success=True, suffix=None)


def test_posted_event_notifies_its_own_type(vcd, consumer):
    srv = vcd()
    srv.wait_connected()
    c = consumer()
    admin = srv.login()
    for type_, success in (('backupComplete', True), ('backupFailed', False)):
        body = ('<Event xmlns="%s" type="%s" serviceNamespace="%s" success="%s" typeFull="from the AMQP suite">'
                '<Owner type="application/vnd.vmware.vcloud.org+xml" name="acme" href="%s/api/org/%s"/>'
                '<User type="application/vnd.vmware.admin.user+xml" name="administrator" '
                'href="%s/api/admin/user/%s"/></Event>'
                % (support.VCLOUD_NS, type_, support.SERVICE_NAMESPACE, 'true' if success else 'false',
                   srv.base, ACME_ORG_ID, srv.base, admin.user_id))
        srv.expect(204, 'POST', '/api/admin/org/%s/events' % ACME_ORG_ID, token=admin.token, data=body,
                   headers={'Content-Type': support.EVENT_TYPE})
        pair = c.wait_for(lambda _: (lambda x, j: (x[0], j[0]) if x and j else None)(
            c.find(type_, exchange=XML_EXCHANGE), c.find(type_, exchange=JSON_EXCHANGE)), 30,
            'notification of the posted %s event' % type_)
        entity = pair[0].entity or ''
        kind = pair[0].headers.get('notification.entityType') or ''
        assert entity and kind, 'event notification without entityUUID/entityType:\n' + pair[0].describe()
        assert_pair(pair, 'posted event %s' % type_, type_=type_, entity_kind=kind, entity_uuid=entity,
                    org_uuid=ACME_ORG_ID, user_uuid=admin.user_id, success=success, suffix=None)


def test_notifications_can_be_switched_off(vcd, consumer):
    srv = vcd()
    srv.wait_connected()
    c = consumer()
    admin = srv.login()
    assert srv.notifications_enabled(admin) == 'true', 'notifications must default to on with --amqp-url'
    srv.set_notifications(admin, False)
    assert srv.notifications_enabled(admin) == 'false'
    quiet = srv.post_task(admin)
    srv.set_notifications(admin, True)
    loud = srv.post_task(admin)
    c.wait_for(lambda _: c.find(TASK_CREATE, loud, XML_EXCHANGE), 30, 'task/create after notifications on')
    # In order: had the quiet task been published, it would have arrived before the loud one.
    leaked = c.find(entity=quiet)
    assert not leaked, 'a task created while notifications were off was published:\n' + leaked[0].describe()
