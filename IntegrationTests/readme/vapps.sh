#!/usr/bin/env bash
# Runs README.md's "A small cloud to operate on" block, verbatim, against a fresh server with a fixed clock.
set -euo pipefail
. "$(dirname "$0")/../lib/stop-server.sh"
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -KILL $PID 2>/dev/null; rm -rf "$WORK"' EXIT

sed -n '/<!-- vapps:start -->/,/<!-- vapps:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$WORK/vapps.sh"
[ -s "$WORK/vapps.sh" ] || { echo "readme vapps: no block between the markers in README.md"; exit 1; }

"$BIN" --port 0 --log-level warning --clock fixed:2024-05-01T10:00:00.000Z --task-duration 2 > "$WORK/out" &
PID=$!
for _ in $(seq 300); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
line=$(grep -m1 "listening on" "$WORK/out") || { echo "readme vapps: server did not start"; exit 1; }
BASE=${line##* }

BASE=$BASE bash -euo pipefail "$WORK/vapps.sh" > "$WORK/result" 2>&1 || { cat "$WORK/result"; echo "readme vapps: 0 passed, 1 failed"; exit 1; }
cat "$WORK/result"
[ "$(grep -c . "$WORK/result")" -eq 8 ] \
  && grep -q "^vApp: $BASE/api/vApp/vapp-" "$WORK/result" \
  && [ "$(sed -n 2p "$WORK/result")" = 'status="4"' ] \
  && [ "$(sed -n 3p "$WORK/result")" = 'operationName="vappPowerOff"' ] \
  && [ "$(sed -n 4p "$WORK/result")" = 'status="8"' ] \
  && [ "$(sed -n 5p "$WORK/result")" = 'status="1"' ] \
  && sed -n 6p "$WORK/result" | grep -qx "<VMRecord href=\"$BASE/api/vApp/vm-[^\"]*\" name=\"centos7-vm\" status=\"POWERED_OFF\"/>" \
  && [ "$(sed -n 7,8p "$WORK/result" | tr '\n' ' ')" = 'name="centos7" name="web-stack" ' ] \
  || { echo "readme vapps: output is not what README promises"; echo "readme vapps: 0 passed, 1 failed"; exit 1; }
stop_server $PID "readme vapps"; PID=
echo "readme vapps: 1 passed, 0 failed"
