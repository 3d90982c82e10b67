"""At-least-once delivery while the broker is down, restarts, or has nobody listening.

These tests stop and start the real broker with scripts/rabbitmq; the `broker` fixture leaves it running.
Duplicates are allowed (at least once); every expected task must arrive, found by its task id.
"""

import threading
import uuid

import requests

import xml.etree.ElementTree as ET

import support
from support import TASK_CREATE, XML_EXCHANGE, JSON_EXCHANGE


def missing_creates(c, task_ids):
    seen = {m.entity for m in c.find(TASK_CREATE, exchange=XML_EXCHANGE)}
    return [t for t in task_ids if t not in seen]


def duplicates(c):
    ids = [m.props.message_id for m in c.find(TASK_CREATE, exchange=XML_EXCHANGE)]
    return len(ids) - len(set(ids))


def test_broker_down_at_start(vcd, broker, consumer):
    broker.stop()
    srv = vcd()   # must come up and serve HTTP without a broker
    st = srv.amqp_status()
    assert st['connected'] is False, 'connected=true with the broker stopped: %r' % st
    admin = srv.login()
    tasks = [srv.post_task(admin) for _ in range(20)]   # each answers 200 or post_task fails

    broker.start()
    c = consumer(exchanges=(XML_EXCHANGE,))
    try:
        c.wait_for(lambda _: not missing_creates(c, tasks), 60, 'all 20 task/create notifications')
    except AssertionError as e:
        raise AssertionError('%s\nmissing tasks: %s\n/mock/amqp: %r'
                             % (e, missing_creates(c, tasks), srv.amqp_status())) from None
    print('20 tasks delivered, %d duplicate(s); /mock/amqp %r' % (duplicates(c), srv.amqp_status()))


def test_broker_restart_mid_run(vcd, broker, consumer):
    total, stop_at, start_at, threads = 1000, 300, 700, 4
    srv = vcd()
    srv.wait_connected()
    queue_name = 'vcd-mock-test-restart-%s' % uuid.uuid4().hex[:8]
    setup = consumer(exchanges=(XML_EXCHANGE,), queue_name=queue_name, consume=False)  # durable, bound
    setup.close()
    admin = srv.login()

    lock = threading.Lock()
    state = {'next': 0, 'done': 0}
    task_ids, failures, control_errors = [], [], []
    stopping, starting, finished = threading.Event(), threading.Event(), threading.Event()
    give_up = support.Deadline(180)
    timings = {}

    def poster():
        http = requests.Session()
        while True:
            with lock:
                n = state['next'] = state['next'] + 1
            if n > total:
                return
            # Tasks 301-700 go out while the broker stops and is down, 701-1000 while it starts.
            for gate in ((stopping,) if n > stop_at else ()) + ((starting,) if n > start_at else ()):
                while not gate.wait(0.5):
                    if give_up.passed():
                        failures.append('task #%d: gave up waiting for the broker control thread' % n)
                        return
            try:
                tid = srv.post_task(admin, session=http)
            except (AssertionError, requests.RequestException) as e:
                failures.append('task #%d: %s' % (n, e))
            else:
                with lock:
                    task_ids.append(tid)
            with lock:
                state['done'] += 1

    def control():
        try:
            support.wait_until(lambda: state['done'] >= stop_at or give_up.passed(), 120, '%d tasks' % stop_at,
                               interval=0.01)
            stopping.set()
            timings['stop'] = broker.stop()
            support.wait_until(lambda: state['done'] >= start_at or give_up.passed(), 120, '%d tasks' % start_at,
                               interval=0.01)
            timings['posted_while_down'] = state['done'] - stop_at
            starting.set()
            timings['start'] = broker.start()
        except BaseException as e:  # noqa: BLE001 - reported below
            control_errors.append('%s: %s' % (type(e).__name__, e))
        finally:
            stopping.set()
            starting.set()
            finished.set()

    try:
        workers = [threading.Thread(target=poster, daemon=True) for _ in range(threads)]
        ctl = threading.Thread(target=control, daemon=True)
        ctl.start()
        for w in workers:
            w.start()
        for w in workers + [ctl]:
            w.join(max(1, give_up.left()))
        assert not any(t.is_alive() for t in workers + [ctl]), 'posting/broker control still running after 180 s'
        assert not control_errors, 'broker control failed: %s' % control_errors
        assert not failures, '%d HTTP failure(s) while the broker restarted (must be 0), first: %s' \
            % (len(failures), failures[:5])
        assert len(task_ids) == total, 'posted %d tasks, expected %d' % (len(task_ids), total)

        c = consumer(exchanges=(XML_EXCHANGE,), queue_name=queue_name)
        try:
            c.wait_for(lambda _: not missing_creates(c, task_ids), 90, 'all %d task/create notifications' % total)
        except AssertionError as e:
            lost = missing_creates(c, task_ids)
            raise AssertionError('%s\n%d task(s) never arrived, e.g. %s\n/mock/amqp: %r'
                                 % (str(e).splitlines()[0], len(lost), lost[:5], srv.amqp_status())) from None
        st = srv.amqp_status()
        assert st['reconnects'] >= 1, 'the server rode out a broker restart but reports reconnects=%r' % st
        print('%d tasks delivered (%d duplicate(s)); broker stop %.1f s, start %.1f s, %d posted while it was '
              'going down; /mock/amqp %r' % (total, duplicates(c), timings.get('stop', -1),
                                            timings.get('start', -1), timings.get('posted_while_down', -1), st))
    finally:
        broker.ensure_running()
        broker.delete_queue(queue_name)


def test_unroutable_is_counted_and_retried(vcd, broker, consumer):
    broker.delete_exchanges()    # no exchange, so no binding left over from anyone
    srv = vcd()
    srv.wait_connected()
    admin = srv.login()
    before = srv.amqp_status()['returned']
    task = srv.post_task(admin)
    st = support.wait_until(lambda: (lambda s: s if s['returned'] > before else None)(srv.amqp_status()), 15,
                            'GET /mock/amqp returned to grow past %d after an unroutable task/create' % before)
    c = consumer()    # now a queue is bound: the server's retry must reach it
    try:
        c.wait_for(lambda _: c.find(TASK_CREATE, task, XML_EXCHANGE) and c.find(TASK_CREATE, task, JSON_EXCHANGE),
                   30, 'the returned task/create (XML and JSON), retried after a queue was bound')
    except AssertionError as e:
        raise AssertionError('%s\n/mock/amqp: %r' % (e, srv.amqp_status())) from None
    print('returned=%d before the queue was bound; /mock/amqp now %r' % (st['returned'], srv.amqp_status()))


def test_outbox_bound(vcd, broker):
    """Backpressure (issue 11): with the broker down the outbox fills up to --outbox-size; after that a request that
    would add notifications waits for room (5 s) and then answers 503 with a vCD Error naming --outbox-size. It is not
    answered 200 with notifications that could never be kept, and the outbox never grows past its bound."""
    broker.stop()
    srv = vcd('--outbox-size', '5')
    admin = srv.login()          # session/login: 2 messages
    body = ('<Task xmlns="%s" name="task" status="running" serviceNamespace="%s"/>'
            % (support.VCLOUD_NS, support.SERVICE_NAMESPACE))
    codes = []
    for _ in range(4):
        r = srv.request('POST', '/api/tasksList/%s' % support.ACME_ORG_ID, token=admin.token, data=body,
                        headers={'Content-Type': support.TASK_TYPE})
        codes.append(r.status_code)
        if r.status_code == 503:
            root = ET.fromstring(r.content)
            assert root.tag.endswith('Error') and root.get('minorErrorCode') == 'SERVICE_UNAVAILABLE', r.text[:500]
            assert '--outbox-size' in (root.get('message') or ''), r.text[:500]
    assert codes[0] == 200, codes
    assert codes[-1] == 503, 'a full outbox with no broker must answer 503, got %r' % codes
    st = srv.amqp_status()
    assert st['connected'] is False, st
    assert st['outboxDepth'] <= 5, 'outboxDepth %d exceeds --outbox-size 5: %r' % (st['outboxDepth'], st)
