"""The AMQP settings API (reference §6.1) steering the live publisher."""

import support
from support import TASK_CREATE, VMEXT_NS, XML_EXCHANGE, JSON_EXCHANGE


def child(root, name):
    el = root.find('{%s}%s' % (VMEXT_NS, name))
    return None if el is None else (el.text or '').strip()


def test_settings_wrong_port(vcd, broker, consumer):
    srv = vcd()
    srv.wait_connected()
    admin = srv.login()
    c = consumer()

    s = srv.get_amqp_settings(admin)
    got = {n: child(s, n) for n in ('AmqpHost', 'AmqpPort', 'AmqpUsername', 'AmqpPassword', 'AmqpExchange',
                                    'AmqpVHost', 'AmqpUseSSL', 'AmqpPrefix')}
    want = {'AmqpHost': broker.host, 'AmqpPort': str(broker.port), 'AmqpUsername': broker.username,
            'AmqpPassword': '', 'AmqpExchange': XML_EXCHANGE, 'AmqpVHost': broker.vhost, 'AmqpUseSSL': 'false',
            'AmqpPrefix': 'vcd'}
    assert got == want, 'GET settings/amqp after --amqp-url: %r, expected %r (password never shown)' % (got, want)

    valid, text = srv.test_amqp_settings(admin, support.amqp_settings_body(broker, password=broker.password))
    assert valid == 'true', 'action/test with the working settings says Valid=%r: %s' % (valid, text[:500])
    valid, text = srv.test_amqp_settings(admin, support.amqp_settings_body(broker, port=1,
                                                                           password=broker.password))
    assert valid == 'false', 'action/test with AmqpPort 1 says Valid=%r: %s' % (valid, text[:500])

    # Empty password: keep the current one (clients PUT back what they GET).
    put = srv.put_amqp_settings(admin, support.amqp_settings_body(broker, port=1))
    assert child(put, 'AmqpPort') == '1', 'PUT answered AmqpPort %r' % child(put, 'AmqpPort')
    assert child(srv.get_amqp_settings(admin), 'AmqpPort') == '1', 'GET after PUT does not show port 1'
    support.wait_until(lambda: srv.amqp_status()['connected'] is False, 15, 'connected=false after port 1')

    task = srv.post_task(admin)
    st = support.wait_until(lambda: (lambda s: s if s['outboxDepth'] >= 1 else None)(srv.amqp_status()), 15,
                            'the task/create waiting in the outbox (outboxDepth >= 1)')
    c.pump(0.2)
    early = c.find(entity=task)
    assert not early, 'delivered although the settings point at port 1:\n' + early[0].describe()

    srv.put_amqp_settings(admin, support.amqp_settings_body(broker))
    try:
        c.wait_for(lambda _: c.find(TASK_CREATE, task, XML_EXCHANGE) and c.find(TASK_CREATE, task, JSON_EXCHANGE),
                   30, 'the queued task/create after PUTting the right port back')
    except AssertionError as e:
        raise AssertionError('%s\n/mock/amqp: %r' % (e, srv.amqp_status())) from None
    srv.wait_connected(15)
    print('outbox while on port 1: %r' % st)
