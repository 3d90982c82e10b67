#!/usr/bin/env bash
# Runs README.md's curl walk-through, verbatim, against a fresh server and checks what it printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

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
echo "walkthrough: 1 passed, 0 failed"
