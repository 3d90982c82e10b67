#!/usr/bin/env python3
"""Stress: 200 concurrent clients x 50 task POSTs (a mix of orgs and users) against the real binary with the
real broker (a queue bound to the notification exchanges, so every message is routable), then: every answer 200, every task id unique, every task listed exactly once in its org's
TasksList, every task/create event recorded once, and every task's notifications confirmed by the broker.

  .build/venvs/amqp-tests/bin/python IntegrationTests/stress/stress.py --binary .build/debug/vcd-mock
  (needs VCD_MOCK_TEST_AMQP_URL and pika: `make stress` does both)
Posting service tasks is the system administrator's (each client has its own session); org users read their
org's TasksList concurrently and must see only their org's tasks.
Prints "stress: N passed, M failed" (scripts/test-suites counts it); exit 1 on any failure.
"""
import argparse
import base64
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time

import pika

ACCEPT = "application/*+xml;version=5.5"
TASK = ('<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="stress-%d-%d" status="running" '
        'serviceNamespace="org.example.stress"/>')
ORGS = ["acme", "globex"]
# Tenants reading while the tasks are created: (user@org, password, org).
READERS = [("alice@acme", "alice", "acme"), ("bob@globex", "bob", "globex"), ("carol@globex", "carol", "globex")]


def bind_queue(url):
    """A queue bound to both notification exchanges: published messages are routed, so they get confirmed."""
    connection = pika.BlockingConnection(pika.URLParameters(url + ("&" if "?" in url else "?") + "heartbeat=0"))
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True).method.queue
    for exchange in ("systemExchange", "vcd.notifications20"):
        channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        channel.queue_bind(queue, exchange, routing_key="#")
    return connection, channel, queue


class Server:
    def __init__(self, binary, amqp_url):
        self.proc = subprocess.Popen([binary, "--port", "0", "--log-level", "warning", "--amqp-url", amqp_url,
                                      "--event-retention", "100000", "--message-journal-size", "100000",
                                      "--journal-size", "1000", "--outbox-size", "100000"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        self.port = None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.stop()
            raise SystemExit("stress: the server did not start")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()  # keep its pipe drained

    def stop(self):
        """SIGTERM; returns vcd-mock's exit code (README: 0), or -9 when it had to be killed."""
        self.proc.terminate()
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9


def request(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    return r.status, r.getheader("x-vcloud-authorization"), r.read()


def login(port, user, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    status, token, body = request(conn, "POST", "/api/sessions", {"Authorization": auth, "Accept": ACCEPT})
    if status != 200 or not token:
        raise RuntimeError("login %s: %d %s" % (user, status, body[:200]))
    return conn, token


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/debug/vcd-mock")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--posts", type=int, default=50)
    args = parser.parse_args()
    url = os.environ.get("VCD_MOCK_TEST_AMQP_URL")
    if not url:
        print("stress: VCD_MOCK_TEST_AMQP_URL is not set (make stress starts a broker)")
        print("stress: 0 passed, 1 failed")
        return 1
    amqp, channel, queue = bind_queue(url)
    server = Server(args.binary, url)
    checks = []

    def check(name, ok, detail=""):
        checks.append(ok)
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail and not ok else ""))

    try:
        conn, token = login(server.port, "administrator@System", "vmware")
        _, _, orgs = request(conn, "GET", "/api/org", {"Accept": ACCEPT, "x-vcloud-authorization": token})
        org_ids = {m.group(1).decode(): m.group(2).decode()
                   for m in re.finditer(rb'<Org [^>]*name="([^"]+)" href="[^"]*/api/org/([^"]+)"', orgs)}
        results = []  # (org name, status, task id)
        lock = threading.Lock()
        errors = []

        stop_reading = threading.Event()
        leaks = []

        def reader(user, password, org):
            c, tok = login(server.port, user, password)
            while not stop_reading.is_set():
                status, _, body = request(c, "GET", "/api/tasksList/%s" % org_ids[org], {"Accept": ACCEPT, "x-vcloud-authorization": tok})
                other = [o for o in ORGS if o != org][0]
                if status != 200 or ('name="%s"' % other).encode() in body:
                    with lock:
                        leaks.append("%s: %d" % (user, status))
                    return

        def client(i):
            try:
                c, tok = login(server.port, "administrator@System", "vmware")
                mine = []
                for n in range(args.posts):
                    org = ORGS[(i + n) % len(ORGS)]
                    status, _, body = request(c, "POST", "/api/tasksList/%s" % org_ids[org],
                                              {"Accept": ACCEPT, "x-vcloud-authorization": tok,
                                               "Content-Type": "application/vnd.vmware.vcloud.task+xml"},
                                              (TASK % (i, n)).encode())
                    m = re.search(rb'id="urn:vcloud:task:([^"]+)"', body)
                    mine.append((org, status, m.group(1).decode() if m else None))
                with lock:
                    results.extend(mine)
            except Exception as e:  # counted below: a client that died shows as missing answers
                with lock:
                    errors.append("client %d: %r" % (i, e))

        started = time.monotonic()
        readers = [threading.Thread(target=reader, args=r) for r in READERS]
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for t in readers + threads:
            t.start()
        for t in threads:
            t.join()
        stop_reading.set()
        for t in readers:
            t.join()
        elapsed = time.monotonic() - started
        total = args.clients * args.posts
        print("stress: %d POSTs by %d clients in %.1f s (%.0f/s)" % (len(results), args.clients, elapsed, len(results) / elapsed))
        # The first connection sat idle through the run: the server's idle timeout closed it; open a new one.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        check("no client failed", not errors, "; ".join(errors[:3]))
        check("tenants reading meanwhile saw only their org", not leaks, "; ".join(leaks[:3]))
        check("every POST answered 200", len(results) == total and all(s == 200 for _, s, _ in results),
              "%d answers, statuses %s" % (len(results), sorted(set(s for _, s, _ in results))))
        ids = [t for _, _, t in results if t]
        check("every task id unique", len(ids) == len(set(ids)) == total, "%d ids, %d distinct" % (len(ids), len(set(ids))))

        for org in ("acme", "globex"):
            _, _, listing = request(conn, "GET", "/api/tasksList/%s" % org_ids[org], {"Accept": ACCEPT, "x-vcloud-authorization": token})
            listed = re.findall(rb'<Task [^>]*id="urn:vcloud:task:([^"]+)"', listing)
            listed = [x.decode() for x in listed]
            expected = [t for o, _, t in results if o == org and t]
            counts = {}
            for x in listed:
                counts[x] = counts.get(x, 0) + 1
            check("every %s task listed exactly once" % org, all(counts.get(t) == 1 for t in expected),
                  "%d expected, %d missing, %d duplicated" % (len(expected), sum(1 for t in expected if t not in counts),
                                                             sum(1 for t in expected if counts.get(t, 0) > 1)))

        _, _, events = request(conn, "GET", "/mock/events")
        created = {}
        for e in json.loads(events)["events"]:
            if e.get("type") == "com/vmware/vcloud/event/task/create":
                tid = e.get("entity", "").rsplit(":", 1)[-1]
                created[tid] = created.get(tid, 0) + 1
        check("every task/create event recorded once", all(created.get(t) == 1 for t in ids),
              "%d of %d recorded" % (sum(1 for t in ids if created.get(t) == 1), len(ids)))

        # Every task's notifications confirmed: poll until no message is pending (bounded), then check.
        deadline = time.monotonic() + 60
        while True:
            _, _, body = request(conn, "GET", "/mock/messages?limit=100000")
            messages = json.loads(body)["messages"]
            pending = [m for m in messages if m.get("status") == "pending"]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # polling the journal with a deadline
        confirmed = set((m.get("taskId") or "").rsplit(":", 1)[-1] for m in messages if m.get("status") == "confirmed")
        bad = [m for m in messages if m.get("status") not in ("confirmed",)]
        check("every task has a confirmed notification", all(t in confirmed for t in ids),
              "%d of %d tasks confirmed" % (sum(1 for t in ids if t in confirmed), len(ids)))
        check("no message left unconfirmed", not bad, "%d not confirmed, e.g. %s" % (len(bad), str(bad[:1])[:300]))
        delivered = channel.queue_declare(queue, passive=True).method.message_count
        check("the broker holds every notification", delivered >= len(messages), "%d in the queue, %d published" % (delivered, len(messages)))
    finally:
        code = server.stop()
        amqp.close()
    check("vcd-mock exits 0 on SIGTERM", code == 0, "exit code %s" % code)
    passed = sum(1 for c in checks if c)
    print("stress: %d passed, %d failed" % (passed, len(checks) - passed))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
