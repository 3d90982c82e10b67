#!/usr/bin/env python3
"""pyvcloud 23 as today's users run it: no api_version (negotiated from /api/versions), over HTTPS and HTTP.

Usage:
    python negotiated.py --binary PATH_TO_vcd-mock [--fixtures DIR]

Starts the server twice: with ``--tls --tls-cert-out FILE`` (HTTPS) and without (HTTP). Against each, for
api_version None (negotiated: must pick 36.0), 29.0, 32.0, 33.0 and 36.0, as administrator@System and as
alice@acme: login (5.5-style POST /api/sessions below 33, cloudapi sessions from 33), org list, the logged-in
org, ``Org.list_vdcs`` and ``Org.get_vdc`` (direct links below 33, the Org's records query link from 33),
logout, and the old token refused. Over HTTPS it also logs in with the generated certificate trusted
(REQUESTS_CA_BUNDLE) instead of ``verify_ssl_certs=False``.

Last line: ``negotiated: N passed, M failed``; exit 0 only when all passed.
"""

import argparse
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
import warnings

import requests
from pyvcloud.vcd.client import BasicLoginCredentials, Client
from pyvcloud.vcd.org import Org

warnings.filterwarnings('ignore')  # InsecureRequestWarning for verify_ssl_certs=False
LISTEN_RE = re.compile(r'vcd-mock listening on (https?://[^\s/]+:\d+)')
USERS = (('System', 'administrator', 'vmware'), ('acme', 'alice', 'alice'))
VERSIONS = (None, '29.0', '32.0', '33.0', '36.0')
# What each user's logged-in org holds (Fixtures/default): org name -> vdc names.
EXPECTED_VDCS = {'System': [], 'acme': ['acme-vdc']}


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def start(binary, fixtures, extra):
    cmd = [binary, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warning'] + extra
    if fixtures:
        cmd += ['--fixtures', fixtures]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, bufsize=1)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=30)  # the first stdout line is the listening line
    except queue.Empty:
        line = ''
    m = LISTEN_RE.search(line)
    if not m:
        proc.kill()
        raise Failure('no listening line from %s within 30 s: %r' % (' '.join(cmd), line))
    print('[negotiated] %s -> %s' % (' '.join(cmd[1:]), m.group(1)), flush=True)
    return proc, m.group(1)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=15)
    check(rc == 0, 'server exited %s after SIGTERM' % rc)


def flow(base, version, org_name, user, password, verify=False):
    client = Client(base, api_version=version, verify_ssl_certs=verify,
                    log_file=os.path.join(tempfile.gettempdir(), 'vcd-mock-negotiated.log'))
    client.set_credentials(BasicLoginCredentials(user, org_name, password))
    negotiated = client.get_api_version()
    check(negotiated == (version or '36.0'), 'negotiated %s, expected %s' % (negotiated, version or '36.0'))
    check(client.is_sysadmin() == (org_name == 'System'), 'is_sysadmin() wrong for %s' % org_name)
    headers = dict(client._session.headers)
    if float(negotiated) >= 33:
        check(headers.get('Authorization', '').startswith('Bearer ey'), 'no Bearer JWT after cloudapi login')
    else:
        check(headers.get('x-vcloud-authorization'), 'no x-vcloud-authorization after /api/sessions login')

    names = sorted(o.get('name') for o in client.get_org_list())
    expected = ['System', 'acme', 'globex'] if org_name == 'System' else [org_name]
    check(names == sorted(expected), 'org list %s, expected %s' % (names, expected))
    org = Org(client, resource=client.get_org())
    check(org.get_name() == org_name, 'logged-in org %s' % org.get_name())
    if org_name == 'System':  # the sysadmin also reads a tenant org, as vcd-cli's `vdc list -o acme` does
        org = Org(client, resource=client.get_org_by_name('acme'))
    want = EXPECTED_VDCS['acme' if org_name == 'System' else org_name]
    vdcs = org.list_vdcs()
    got = sorted(v['name'] for v in vdcs)
    check(got == want, 'list_vdcs at %s: %s, expected %s' % (negotiated, got, want))
    for v in vdcs:
        check('/api/vdc/' in v['href'], 'vdc href %s' % v['href'])
        vdc = org.get_vdc(v['name'])
        check(vdc is not None and vdc.get('name') == v['name'], 'get_vdc(%r) returned %r' % (v['name'], vdc))
    check(org.get_vdc('no-such-vdc') is None, 'get_vdc of an unknown name must be None')

    token_headers = {k: v for k, v in headers.items() if k.lower() in ('authorization', 'x-vcloud-authorization')}
    client.logout()
    r = requests.get(base + '/api/session', verify=False,
                     headers=dict(token_headers, Accept='application/*+xml;version=%s' % negotiated))
    check(r.status_code == 401, 'token still accepted after logout: %s' % r.status_code)
    return negotiated


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', required=True)
    ap.add_argument('--fixtures')
    args = ap.parse_args()
    passed, failed = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        cert = os.path.join(tmp, 'vcd-mock.pem')
        for extra in (['--tls', '--tls-cert-out', cert], []):
            proc, base = start(args.binary, args.fixtures, extra)
            try:
                cases = [(v, u) for v in VERSIONS for u in USERS]
                if extra:
                    cases.append(('trusted', USERS[1]))
                for version, (org_name, user, password) in cases:
                    label = '%s %s@%s api_version=%s' % (base.split(':')[0], user, org_name, version)
                    try:
                        if version == 'trusted':
                            os.environ['REQUESTS_CA_BUNDLE'] = cert
                            try:
                                got = flow(base.replace('127.0.0.1', 'localhost'), None, org_name, user, password,
                                           verify=True)
                            finally:
                                del os.environ['REQUESTS_CA_BUNDLE']
                        else:
                            got = flow(base, version, org_name, user, password)
                        print('[negotiated] PASS %s (API %s)' % (label, got), flush=True)
                        passed += 1
                    except Exception as e:  # noqa: BLE001 - every failure is reported, then counted
                        print('[negotiated] FAIL %s: %s: %s' % (label, type(e).__name__, e), flush=True)
                        if not isinstance(e, Failure):
                            traceback.print_exc()
                        failed += 1
            finally:
                try:
                    stop(proc)
                except Exception as e:  # noqa: BLE001
                    proc.kill()
                    print('[negotiated] FAIL stop: %s' % e, flush=True)
                    failed += 1
    print('negotiated: %d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
