#!/usr/bin/env bash
# The control API seen from another address, through the real server: a network namespace joined to this
# one by a veth pair (10.213.0.1 here, 10.213.0.2 inside; the traffic never leaves the machine). vcd-mock
# listens on 10.213.0.1 and curl calls it from inside the namespace, so the server sees a non-loopback client:
#   - with --control-token: /mock/... answers 401 without or with a wrong bearer token, 200 with the right one;
#   - without it: 403 unless the caller brings a System administrator's session, then 200;
#   - /api/... is not affected.
# /mock/health's 503 (no fixtures loaded) cannot be reached through the binary: it refuses to start without a
# System org, and PUT /mock/state requires one too; HealthTests checks that branch in-process.
# Every server started is stopped with SIGTERM and must exit 0. Needs root (ip netns) and iproute2, curl.
#   bash IntegrationTests/netns/control.sh [path/to/vcd-mock]
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
NS=vcdmock-t$$
HOST_IF=vcdh$$ NS_IF=vcdn$$
HOST_IP=10.213.0.1 NS_IP=10.213.0.2
WORK=$(mktemp -d)
PIDS=()
passed=0 failed=0

cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  ip link del "$HOST_IF" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "netns: FAIL: $*"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

[ "$(id -u)" = 0 ] || { echo "netns: needs root (ip netns add)"; echo "netns: 0 passed, 1 failed"; exit 1; }
command -v ip >/dev/null && command -v curl >/dev/null || { echo "netns: needs iproute2 and curl"; echo "netns: 0 passed, 1 failed"; exit 1; }
ip netns add "$NS" \
  && ip link add "$HOST_IF" type veth peer name "$NS_IF" \
  && ip link set "$NS_IF" netns "$NS" \
  && ip addr add "$HOST_IP/24" dev "$HOST_IF" && ip link set "$HOST_IF" up \
  && ip netns exec "$NS" ip addr add "$NS_IP/24" dev "$NS_IF" \
  && ip netns exec "$NS" ip link set "$NS_IF" up \
  && ip netns exec "$NS" ip link set lo up \
  || { echo "netns: cannot set up namespace $NS with a veth pair"; echo "netns: 0 passed, 1 failed"; exit 1; }

# start NAME ARGS...: runs the server on $HOST_IP, sets PORT from its "listening on" line.
start() {
  local name=$1; shift
  mkfifo "$WORK/$name.out"
  "$BIN" --host "$HOST_IP" --port 0 --log-level warning "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  SERVER=$!
  PIDS+=("$SERVER")
  # Keep a reader on the FIFO for the server's whole life, so its stdout stays open (stop checks the exit).
  cat "$WORK/$name.out" > "$WORK/$name.stdout" &
  local line="" i
  for ((i = 0; i < 300; i++)); do
    line=$(head -1 "$WORK/$name.stdout" 2>/dev/null)
    [ -n "$line" ] && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.1   # polling for the listening line, with a 30 s deadline
  done
  PORT=${line##*:}
  case "$PORT" in ''|*[!0-9]*) echo "netns: $name did not start: '$line'"; cat "$WORK/$name.err"; return 1 ;; esac
}

# stop: SIGTERM, the server must exit 0 within 20 s.
stop() {
  kill -TERM "$SERVER" 2>/dev/null
  local i
  for ((i = 0; i < 200; i++)); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$SERVER" 2>/dev/null && { kill -KILL "$SERVER"; fail "server did not exit within 20 s of SIGTERM"; }
  wait "$SERVER"; local rc=$?
  [ $rc -eq 0 ] && ok || { fail "server exited $rc after SIGTERM: $(tail -3 "$WORK"/*.err)"; }
}

# expect WHAT STATUS CURL-ARGS...: one request from inside the namespace; the status must match.
expect() {
  local what=$1 want=$2; shift 2
  local got
  got=$(ip netns exec "$NS" curl -sS -m 10 -o "$WORK/body" -w '%{http_code}' "$@" 2>"$WORK/curl.err")
  if [ "$got" = "$want" ]; then ok; else fail "$what: status $got, expected $want: $(cat "$WORK/body" "$WORK/curl.err" 2>/dev/null | head -c 400)"; fi
}
body_has() {
  if grep -q -- "$2" "$WORK/body"; then ok; else fail "$1: body lacks '$2': $(head -c 400 "$WORK/body")"; fi
}

# 1. A control token: bearer only.
if start token --control-token s3cret; then
  URL=http://$HOST_IP:$PORT
  expect "token, none" 401 "$URL/mock/health"
  body_has "token, none" "control-token"
  expect "token, wrong" 401 -H "Authorization: Bearer nope" "$URL/mock/health"
  expect "token, right" 200 -H "Authorization: Bearer s3cret" "$URL/mock/health"
  body_has "token, right" '"status":"ok"'
  expect "token, /api is open" 200 "$URL/api/versions"
  stop
else fail "server with --control-token did not start"; fi

# 2. No token: a System administrator's session, nothing less.
if start open; then
  URL=http://$HOST_IP:$PORT
  expect "no token, anonymous" 403 "$URL/mock/about"
  expect "no token, tenant login" 200 -D "$WORK/alice.h" -X POST -u alice@acme:alice -H 'Accept: application/*+xml;version=5.5' "$URL/api/sessions"
  alice=$(tr -d '\r' < "$WORK/alice.h" | awk -F': ' 'tolower($1)=="x-vcloud-authorization" {print $2}')
  expect "no token, tenant session" 403 -H "x-vcloud-authorization: $alice" "$URL/mock/about"
  expect "no token, sysadmin login" 200 -D "$WORK/admin.h" -X POST -u administrator@System:vmware -H 'Accept: application/*+xml;version=5.5' "$URL/api/sessions"
  admin=$(tr -d '\r' < "$WORK/admin.h" | awk -F': ' 'tolower($1)=="x-vcloud-authorization" {print $2}')
  expect "no token, sysadmin session" 200 -H "x-vcloud-authorization: $admin" "$URL/mock/about"
  body_has "no token, sysadmin session" '"apiVersions"'
  stop
else fail "server without a control token did not start"; fi

echo "netns: $passed passed, $failed failed"
[ $failed -eq 0 ]
