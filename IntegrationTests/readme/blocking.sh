#!/usr/bin/env bash
# Runs README.md's "Approving operations from your extension (blocking tasks)" block, verbatim, against a
# fresh server with a fixed clock, and checks it printed what README promises.
set -euo pipefail
. "$(dirname "$0")/../lib/stop-server.sh"
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -KILL $PID 2>/dev/null; rm -rf "$WORK"' EXIT

sed -n '/<!-- blocking:start -->/,/<!-- blocking:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$WORK/blocking.sh"
[ -s "$WORK/blocking.sh" ] || { echo "readme blocking: no block between the markers in README.md"; exit 1; }

"$BIN" --port 0 --log-level warning --clock fixed:2024-05-01T10:00:00.000Z --task-duration 2 > "$WORK/out" &
PID=$!
for _ in $(seq 300); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
line=$(grep -m1 "listening on" "$WORK/out") || { echo "readme blocking: server did not start"; exit 1; }
BASE=${line##* }

TMPDIR=$WORK BASE=$BASE bash -euo pipefail "$WORK/blocking.sh" > "$WORK/result" 2>&1 \
  || { cat "$WORK/result"; echo "readme blocking: 0 passed, 1 failed"; exit 1; }
cat "$WORK/result"
[ "$(cat "$WORK/result")" = "$(printf ' status="preRunning"\n status="active"\n204\n status="success"\nstatus="4"')" ] \
  || { echo "readme blocking: output is not what README promises"; echo "readme blocking: 0 passed, 1 failed"; exit 1; }
stop_server $PID "readme blocking"; PID=
echo "readme blocking: 1 passed, 0 failed"
