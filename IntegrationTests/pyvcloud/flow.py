#!/usr/bin/env python3
"""End-to-end check of vcd-mock with the real pyvcloud client (API 5.5, XML).

Works with pyvcloud 18.x and 23.x (Python 3.11, pyvcloud + stdlib only).

Usage:
    python flow.py --binary PATH_TO_vcd-mock [--fixtures DIR]

The script starts the server (``--port 0 --host 127.0.0.1 --log-level
warning``), waits for ``vcd-mock listening on http://HOST:PORT`` on its
stdout, then drives pyvcloud through: login as administrator@System,
get_org_list, get_org_by_name('acme'), Task.update (create, GET, update to
success, wait), a second task updated to error (task monitor must raise
VcdTaskException carrying the <Error>), logout.  Finally it sends SIGTERM to
the server and requires exit code 0.

Last line of output: ``pyvcloud X.Y.Z: 1 passed, 0 failed`` (or
``0 passed, 1 failed``); exit status 0 on success, 1 on failure.
"""

import argparse
import importlib.metadata
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from pyvcloud.vcd.client import BasicLoginCredentials
from pyvcloud.vcd.client import Client
from pyvcloud.vcd.client import EntityType
from pyvcloud.vcd.client import find_link
from pyvcloud.vcd.client import RelationType
from pyvcloud.vcd.org import Org
from pyvcloud.vcd.task import Task

try:  # pyvcloud >= 19
    from pyvcloud.vcd.exceptions import VcdTaskException
except ImportError:  # pyvcloud 18.x
    from pyvcloud.vcd.client import VcdTaskException

VCLOUD_NS = 'http://www.vmware.com/vcloud/v1.5'
LISTEN_RE = re.compile(r'vcd-mock listening on (http://[^\s/]+:\d+)/?\s*$')
STARTUP_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 15.0
TASK_WAIT_TIMEOUT = 30
SERVICE_NAMESPACE = 'org.example.vcd.backup'
ERROR_MESSAGE = 'flow.py: simulated backup failure'
EXPECTED_ORGS = ('System', 'acme', 'globex')


class FlowFailure(Exception):
    pass


def step(msg):
    print('[flow] ' + msg, flush=True)


def check(cond, msg):
    if not cond:
        raise FlowFailure(msg)


def localname(elem):
    tag = elem.tag
    return tag.split('}', 1)[1] if tag.startswith('{') else tag


# --------------------------------------------------------------------------
# server process handling
# --------------------------------------------------------------------------

class Server(object):
    def __init__(self, binary, fixtures):
        self.cmd = [binary, '--port', '0', '--host', '127.0.0.1',
                    '--log-level', 'warning']
        if fixtures:
            self.cmd += ['--fixtures', fixtures]
        self.proc = None
        self.base_url = None
        self._lines = queue.Queue()
        self._reader = None
        self._found = threading.Event()

    def start(self):
        step('starting server: %s' % ' '.join(self.cmd))
        self.proc = subprocess.Popen(
            self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=None, bufsize=1, text=True, errors='replace')
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        seen = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FlowFailure(
                    'server did not print "vcd-mock listening on '
                    'http://HOST:PORT" within %.0f s; stdout so far: %r'
                    % (STARTUP_TIMEOUT, seen))
            try:
                line = self._lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if line is None:  # EOF: server exited
                rc = self.proc.wait()
                raise FlowFailure(
                    'server exited (code %s) before printing the listening '
                    'line; stdout: %r' % (rc, seen))
            seen.append(line)
            m = LISTEN_RE.search(line)
            if m:
                self.base_url = m.group(1)
                self._found.set()
                step('server is listening at %s (pid %d)'
                     % (self.base_url, self.proc.pid))
                return self.base_url

    def _read_stdout(self):
        for line in self.proc.stdout:
            line = line.rstrip('\n')
            if self._found.is_set():
                print('[vcd-mock stdout] ' + line, flush=True)
            else:
                self._lines.put(line)
        self._lines.put(None)

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()

    def stop(self):
        """SIGTERM the server; return None if it exited 0, else a message."""
        if self.proc is None:
            return 'server was never started'
        if self.proc.poll() is not None:
            return ('server had already exited (code %s) before SIGTERM'
                    % self.proc.returncode)
        step('sending SIGTERM to server (pid %d)' % self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return ('server did not exit within %.0f s of SIGTERM (killed)'
                    % SHUTDOWN_TIMEOUT)
        finally:
            if self._reader is not None:
                self._reader.join(timeout=5)
        if rc == 0:
            step('server exited cleanly (code 0)')
            return None
        if rc < 0:
            return ('server was killed by signal %d (it must handle SIGTERM '
                    'and exit with code 0)' % -rc)
        return 'server exited with code %d after SIGTERM (expected 0)' % rc


# --------------------------------------------------------------------------
# the pyvcloud flow
# --------------------------------------------------------------------------

def make_client(base_url, log_file):
    # api_version given explicitly => neither version calls /api/versions.
    # log_file must not be None for pyvcloud 23 (it would otherwise create
    # ./vcd_pysdk.log in the current directory).
    return Client(base_url,
                  api_version='5.5',
                  verify_ssl_certs=False,
                  log_file=log_file,
                  log_requests=True,
                  log_headers=True,
                  log_bodies=True)


def org_names(client):
    """get_org_list(): pyvcloud 23 returns a list of Org resources (one GET
    per org), pyvcloud 18 returns the OrgList element itself."""
    result = client.get_org_list()
    if isinstance(result, list):
        for org in result:
            check(localname(org) == 'Org',
                  'get_org_list item is <%s>, expected <Org>' % localname(org))
        return [o.get('name') for o in result]
    check(result is not None and localname(result) == 'OrgList',
          'get_org_list returned %r, expected <OrgList>' % (result,))
    return [o.get('name') for o in result.findall('{%s}Org' % VCLOUD_NS)]


def make_deadline_callback(what, timeout):
    # pyvcloud's own timeout check is broken in both versions
    # ("start_time - datetime.now() > timedelta(...)" is never true), so the
    # monitor would poll forever; enforce the timeout through the callback.
    deadline = time.monotonic() + timeout

    def callback(task):
        step('  monitor polled %s: status=%s' % (what, task.get('status')))
        if time.monotonic() > deadline:
            raise FlowFailure('%s did not reach a final status within %d s'
                              % (what, timeout))
    return callback


def check_task(t, what, status):
    check(t is not None, '%s: server returned no body (expected <Task>)' % what)
    check(localname(t) == 'Task',
          '%s: got <%s>, expected <Task>' % (what, localname(t)))
    tid = t.get('id') or ''
    check(tid.startswith('urn:vcloud:task:'),
          '%s: task id %r does not start with urn:vcloud:task:' % (what, tid))
    check(t.get('href'), '%s: task has no href' % what)
    check(t.get('startTime'), '%s: task has no startTime' % what)
    check(t.get('status') == status, '%s: status=%r, expected %r'
          % (what, t.get('status'), status))
    step('  %s: id=%s status=%s startTime=%s endTime=%s href=%s'
         % (what, tid, t.get('status'), t.get('startTime'), t.get('endTime'),
            t.get('href')))


def run_flow(base_url, log_file):
    step('creating pyvcloud Client(%r, api_version=5.5)' % base_url)
    client = make_client(base_url, log_file)

    # 1. login ------------------------------------------------------------
    step('login administrator@System')
    client.set_credentials(
        BasicLoginCredentials('administrator', 'System', 'vmware'))
    check(client.is_sysadmin(),
          'client.is_sysadmin() is False: Session@org must be "System"')
    # pyvcloud 18 does not keep the Session; fetch it the same way for both.
    session = client.get_resource(client.get_api_uri() + '/session')
    check(session is not None and localname(session) == 'Session',
          'GET /api/session did not return <Session>')
    step('  session: user=%s org=%s userId=%s'
         % (session.get('user'), session.get('org'), session.get('userId')))
    check(session.get('user') == 'administrator',
          'Session@user=%r, expected administrator' % session.get('user'))
    check(session.get('org') == 'System',
          'Session@org=%r, expected System' % session.get('org'))
    user_id = session.get('userId') or ''
    check(user_id.startswith('urn:vcloud:user:'),
          'Session@userId=%r does not start with urn:vcloud:user:' % user_id)
    user_href = '%s/admin/user/%s' % (client.get_api_uri(),
                                      user_id[len('urn:vcloud:user:'):])

    # 2. org list ----------------------------------------------------------
    step('get_org_list')
    names = org_names(client)
    step('  orgs: %s' % ', '.join(str(n) for n in names))
    for name in EXPECTED_ORGS:
        check(name in names, 'org %r missing from org list %r' % (name, names))

    # 3. org acme ----------------------------------------------------------
    step('get_org_by_name(acme)')
    org_res = client.get_org_by_name('acme')
    check(org_res is not None and org_res.get('href'),
          'get_org_by_name(acme) returned no href')
    org = Org(client, resource=org_res)
    org.reload()  # pyvcloud 18 hands back the OrgList reference only
    check(localname(org.resource) == 'Org',
          'GET org href returned <%s>' % localname(org.resource))
    check(org.get_name() == 'acme', 'org name is %r' % org.get_name())
    tasks_link = find_link(org.resource, RelationType.DOWN,
                           EntityType.TASKS_LIST.value)
    step('  org acme href=%s tasksList=%s' % (org.href, tasks_link.href))

    task_api = Task(client)

    def update(status, operation, details, progress, task_href=None,
               error_message=None):
        kwargs = dict(status=status,
                      namespace=SERVICE_NAMESPACE,
                      operation=operation,
                      operation_name='backup',
                      details=details,
                      progress=progress,
                      owner_href=org.href,
                      owner_name='acme',
                      owner_type=EntityType.ORG.value,
                      user_href=user_href,
                      user_name='administrator',
                      org_href=org.href,
                      task_href=task_href)
        if error_message is not None:
            kwargs['error_message'] = error_message
        return task_api.update(**kwargs)

    # 4. create task 1 -----------------------------------------------------
    step('Task.update: create task 1 (running) via POST to tasksList')
    t1 = update('running', 'Backup of org acme', 'flow.py task 1', 10)
    check_task(t1, 'created task 1', 'running')
    check(t1.get('serviceNamespace') in (None, SERVICE_NAMESPACE),
          'serviceNamespace=%r' % t1.get('serviceNamespace'))
    owner = t1.find('{%s}Owner' % VCLOUD_NS)
    check(owner is not None and owner.get('href') == org.href,
          'task 1 <Owner> missing or not the acme org')
    t1_href = t1.get('href')
    t1_id = t1.get('id')

    # 5. GET it back --------------------------------------------------------
    step('GET task 1 back')
    t1g = client.get_resource(t1_href)
    check_task(t1g, 'fetched task 1', 'running')
    check(t1g.get('id') == t1_id, 'GET returned a different task id')

    # 6. update to success + task monitor ----------------------------------
    step('Task.update: task 1 -> success via PUT task href')
    t1u = update('success', 'Backup of org acme', 'flow.py task 1 done', 100,
                 task_href=t1_href)
    check_task(t1u, 'updated task 1', 'success')
    step('task monitor: wait_for_success(task 1)')
    done = client.get_task_monitor().wait_for_success(
        task=t1u, timeout=TASK_WAIT_TIMEOUT, poll_frequency=1,
        callback=make_deadline_callback('task 1', TASK_WAIT_TIMEOUT))
    check(done is not None and done.get('status') == 'success',
          'task monitor returned status %r'
          % (None if done is None else done.get('status')))
    step('  task 1 finished: status=%s' % done.get('status'))

    # 7. task 2 -> error -----------------------------------------------------
    step('Task.update: create task 2 (running)')
    t2 = update('running', 'Backup of org acme (will fail)', 'flow.py task 2',
                5)
    check_task(t2, 'created task 2', 'running')
    check(t2.get('id') != t1_id, 'task 2 has the same id as task 1')
    step('Task.update: task 2 -> error with <Error message=...>')
    t2u = update('error', 'Backup of org acme (will fail)',
                 'flow.py task 2 failed', None, task_href=t2.get('href'),
                 error_message=ERROR_MESSAGE)
    check_task(t2u, 'updated task 2', 'error')
    step('task monitor: wait_for_success(task 2) must raise VcdTaskException')
    # NOTE: no "except AttributeError" on purpose: pyvcloud reads task.Error
    # and an objectify AttributeError (no <Error> child) must fail the flow.
    try:
        client.get_task_monitor().wait_for_success(
            task=t2u, timeout=TASK_WAIT_TIMEOUT, poll_frequency=1,
            callback=make_deadline_callback('task 2', TASK_WAIT_TIMEOUT))
    except VcdTaskException as e:
        check(e.vcd_error is not None, 'VcdTaskException without vcd_error')
        step('  got expected exception: %s' % e)
        check(localname(e.vcd_error) == 'Error',
              'vcd_error is <%s>, expected <Error>' % localname(e.vcd_error))
        check(e.vcd_error.get('message') == ERROR_MESSAGE,
              'Error@message=%r, expected %r'
              % (e.vcd_error.get('message'), ERROR_MESSAGE))
    else:
        raise FlowFailure('task monitor did not raise VcdTaskException for a '
                          'task in status error')

    # 8. logout ------------------------------------------------------------
    step('logout')
    client.logout()
    step('flow completed')


# --------------------------------------------------------------------------

def dump_log(log_file, max_lines=150):
    try:
        with open(log_file, errors='replace') as f:
            lines = f.readlines()
    except OSError:
        return
    if not lines:
        return
    print('----- last %d lines of pyvcloud log (%s) -----'
          % (min(max_lines, len(lines)), log_file), flush=True)
    sys.stdout.write(''.join(lines[-max_lines:]))
    print('----- end of pyvcloud log -----', flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--binary', required=True,
                        help='path to the vcd-mock executable')
    parser.add_argument('--fixtures', default=None,
                        help='fixtures directory passed to the server')
    parser.add_argument('--timeout', type=float, default=180.0,
                        help='overall watchdog in seconds (default 180)')
    args = parser.parse_args()

    version = importlib.metadata.version('pyvcloud')
    step('pyvcloud %s, python %s' % (version, sys.version.split()[0]))

    log_fd, log_file = tempfile.mkstemp(prefix='pyvcloud-flow-', suffix='.log')
    os.close(log_fd)

    server = Server(os.path.abspath(args.binary), args.fixtures)
    failed_msgs = []
    watchdog_fired = threading.Event()

    def on_watchdog():
        # Killing the server makes any blocked HTTP call fail promptly.
        watchdog_fired.set()
        print('[flow] WATCHDOG: flow exceeded %.0f s, killing server'
              % args.timeout, flush=True)
        server.kill()

    watchdog = threading.Timer(args.timeout, on_watchdog)
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            base_url = server.start()
            run_flow(base_url, log_file)
        except BaseException as e:  # noqa: B902 - report everything
            print('[flow] FAILED: %s: %s' % (type(e).__name__, e), flush=True)
            traceback.print_exc()
            sys.stderr.flush()
            dump_log(log_file)
            failed_msgs.append('flow failed')
    finally:
        watchdog.cancel()
        msg = server.stop()
        if msg is not None:
            print('[flow] FAILED: ' + msg, flush=True)
            failed_msgs.append(msg)
        if watchdog_fired.is_set():
            failed_msgs.append('watchdog')
        try:
            os.unlink(log_file)
        except OSError:
            pass

    ok = not failed_msgs
    print('pyvcloud %s: %d passed, %d failed'
          % (version, 1 if ok else 0, 0 if ok else 1), flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
