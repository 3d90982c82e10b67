"""Fixtures: the broker (VCD_MOCK_TEST_AMQP_URL, required), the server binary and a consumer factory.

No test here is ever skipped: without a reachable broker every test fails, because a green run that
tested nothing is worse than a red one.
"""

import os

import pytest

import support


def pytest_addoption(parser):
    parser.addoption('--binary', default=os.environ.get('VCD_MOCK_BINARY',
                                                        os.path.join(support.ROOT, '.build/debug/vcd-mock')),
                     help='the vcd-mock executable (default: $VCD_MOCK_BINARY or .build/debug/vcd-mock)')


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, 'rep_' + rep.when, rep)
    return rep


@pytest.fixture(scope='session')
def amqp_url():
    url = os.environ.get('VCD_MOCK_TEST_AMQP_URL')
    if not url:
        pytest.fail('VCD_MOCK_TEST_AMQP_URL is not set: these tests need a real RabbitMQ. Run them with '
                    '`make amqp` (starts scripts/rabbitmq), or `scripts/rabbitmq start` and '
                    'VCD_MOCK_TEST_AMQP_URL=$(scripts/rabbitmq url).', pytrace=False)
    problem = support.broker_problem(url)
    if problem:
        pytest.fail('the broker at VCD_MOCK_TEST_AMQP_URL=%s is unreachable: %s (scripts/rabbitmq start?)'
                    % (url, problem), pytrace=False)
    return url


@pytest.fixture(scope='session')
def binary(pytestconfig):
    path = os.path.abspath(pytestconfig.getoption('--binary'))
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail('no vcd-mock executable at %s (swift build first, or pass --binary)' % path, pytrace=False)
    return path


@pytest.fixture
def broker(amqp_url):
    """The test broker; whatever a test did to it, it is running again afterwards."""
    b = support.Broker(amqp_url)
    b.ensure_running()
    yield b
    b.ensure_running()


@pytest.fixture
def vcd(request, binary, amqp_url, tmp_path):
    """start(*flags, amqp=True) -> a running Server; with amqp, --amqp-url is the test broker.

    Every server is SIGTERMed at teardown and must exit 0 within 15 s (broker up or down); on a failure
    the tail of each server's stderr is printed with the report.
    """
    servers = []

    def start(*flags, amqp=True):
        args = (['--amqp-url', amqp_url] if amqp else []) + list(flags)
        s = support.Server(binary, args, str(tmp_path / ('server-%d.stderr' % len(servers))))
        servers.append(s)
        return s.start()

    yield start
    problems = [p for p in (s.stop() for s in servers) if p]
    call = getattr(request.node, 'rep_call', None)
    if problems or (call is not None and call.failed):
        for i, s in enumerate(servers):
            print('----- server %d (%s) stderr, last 60 lines -----\n%s' % (i, ' '.join(s.cmd), s.stderr_tail()))
    if problems:
        pytest.fail('; '.join(problems), pytrace=False)


@pytest.fixture
def consumer(amqp_url):
    """consumer(exchanges=..., queue_name=None) -> a bound Consumer; all are closed at teardown."""
    made = []

    def make(**kw):
        c = support.Consumer(amqp_url, **kw)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
