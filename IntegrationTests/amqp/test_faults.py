"""AMQP effects of /mock/faults against the real broker: a simulated nack and a dropped broker connection.

Each fires when a matching request is handled; the notification that request publishes is nacked (counted,
retried, still delivered) or goes out after the publisher reconnected (reconnects + 1, still delivered).
"""

import support
from support import TASK_CREATE, XML_EXCHANGE

JSON = {'Accept': 'application/json', 'Content-Type': 'application/json'}


def add_fault(srv, rule):
    r = srv.request('POST', '/mock/faults', json=rule, headers=JSON)
    assert r.status_code == 201, 'POST /mock/faults answered %d: %s' % (r.status_code, r.text[:500])
    return r.json()


def faults(srv):
    return srv.expect(200, 'GET', '/mock/faults', headers=JSON).json()['faults']


def settled(srv):
    """Waits until nothing is queued or unconfirmed (so the next publish is the request's own)."""
    support.wait_until(lambda: srv.amqp_status()['outboxDepth'] == 0, 30, 'outbox empty')
    return srv.amqp_status()


def delivered(c, task_id):
    c.wait_for(lambda _: c.find(TASK_CREATE, task_id, XML_EXCHANGE), 30,
               'task/create of %s delivered on %s' % (task_id, XML_EXCHANGE))


def test_nack_fault_is_counted_retried_and_delivered(vcd, consumer):
    srv = vcd()
    srv.wait_connected()
    c = consumer()
    admin = srv.login()
    before = settled(srv)
    rule = add_fault(srv, {'method': 'POST', 'pathPattern': '/api/tasksList/.*', 'amqp': 'nack', 'maxCount': 1})
    assert rule['amqp'] == 'nack' and rule['hits'] == 0, rule
    task = srv.post_task(admin)
    delivered(c, task)
    after = support.wait_until(lambda: (lambda s: s if s['nacked'] >= before['nacked'] + 1 else None)(srv.amqp_status()),
                               30, 'GET /mock/amqp nacked + 1')
    assert after['nacked'] == before['nacked'] + 1, (before, after)
    assert [f['hits'] for f in faults(srv)] == [1]
    second = srv.post_task(admin)   # the cap is used up: no further nack
    delivered(c, second)
    assert settled(srv)['nacked'] == before['nacked'] + 1


def test_drop_connection_fault_reconnects_and_delivers(vcd, consumer):
    srv = vcd()
    srv.wait_connected()
    c = consumer()
    admin = srv.login()
    before = settled(srv)
    add_fault(srv, {'method': 'POST', 'pathPattern': '/api/tasksList/.*', 'amqp': 'dropConnection', 'maxCount': 1})
    tasks = [srv.post_task(admin) for _ in range(3)]
    for t in tasks:
        delivered(c, t)
    after = support.wait_until(
        lambda: (lambda s: s if s['reconnects'] >= before['reconnects'] + 1 and s['connected'] else None)(srv.amqp_status()),
        30, 'GET /mock/amqp reconnects + 1 and connected')
    assert after['reconnects'] == before['reconnects'] + 1, (before, after)
    assert 'dropped by a /mock/faults rule' in (after['lastError'] or ''), after
    assert [f['hits'] for f in faults(srv)] == [1]
    srv.expect(204, 'DELETE', '/mock/faults', headers=JSON)
    assert faults(srv) == []
