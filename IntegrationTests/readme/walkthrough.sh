#!/usr/bin/env bash
# Runs README.md's curl walk-through, verbatim, against a fresh server and checks what it printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill -KILL $PID 2>/dev/null; rm -rf "$WORK"' EXIT

sed -n '/<!-- walkthrough:start -->/,/<!-- walkthrough:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$WORK/walk.sh"
[ -s "$WORK/walk.sh" ] || { echo "walkthrough: no block between the markers in README.md"; exit 1; }

mkfifo "$WORK/out"
"$BIN" --port 0 --log-level warning > "$WORK/out" &
PID=$!
read -r -t 30 line < "$WORK/out" || { echo "walkthrough: server did not start"; exit 1; }
BASE=${line##* }
echo "walkthrough: server at $BASE"

BASE=$BASE bash -euo pipefail "$WORK/walk.sh" > "$WORK/result" 2>&1 || { cat "$WORK/result"; echo "walkthrough: 0 passed, 1 failed"; exit 1; }
cat "$WORK/result"
grep -q "^tasks list: $BASE/api/tasksList/26$" "$WORK/result" \
  && grep -q 'status="running"' "$WORK/result" \
  && grep -q '^id="urn:vcloud:task:' "$WORK/result" \
  || { echo "walkthrough: output is not what README promises"; echo "walkthrough: 0 passed, 1 failed"; exit 1; }
# The server's stdout reader (the `read` above) is gone, as under `vcd-mock | head -1`: SIGTERM must still
# end it with exit 0 (README), not a crash on the closed pipe.
kill -TERM $PID
( sleep 20; kill -KILL $PID 2>/dev/null ) &   # deadline: a server that ignores SIGTERM is killed (and fails)
WATCHDOG=$!
rc=0; wait $PID || rc=$?
kill $WATCHDOG 2>/dev/null || true
PID=
[ $rc -eq 0 ] || { echo "walkthrough: vcd-mock exited $rc after SIGTERM, expected 0"; echo "walkthrough: 0 passed, 1 failed"; exit 1; }
echo "walkthrough: 1 passed, 0 failed"
