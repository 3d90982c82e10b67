#!/usr/bin/env bash
# vcd-cli as a user runs it, with no -V: README's "Any client, any version" block, verbatim, against
# `vcd-mock --tls` (vcd-cli speaks HTTPS to a HOST:PORT without a scheme and negotiates API 36.0).
# Usage: login.sh PATH_TO_vcd-mock PATH_TO_VENV_BIN (the venv with vcd-cli 24.1.0)
set -euo pipefail
. "$(dirname "$0")/../lib/stop-server.sh"
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
VENV_BIN=${2:-.build/venvs/vcd-cli-24.1.0/bin}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && { kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; }; rm -rf "$WORK"' EXIT
fail() { echo "vcdcli: $*"; echo "vcdcli: 0 passed, 1 failed"; exit 1; }

sed -n '/<!-- vcdcli:start -->/,/<!-- vcdcli:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$WORK/walk.sh"
[ -s "$WORK/walk.sh" ] || fail "no block between the vcdcli markers in README.md"

mkfifo "$WORK/out"
"$BIN" --port 0 --tls --log-level warning > "$WORK/out" &
PID=$!
exec 3< "$WORK/out"
read -r -t 30 line <&3 || fail "server did not start"
[[ $line == "vcd-mock listening on https://"* ]] || fail "not an https listening line: $line"
HOSTPORT=${line##*https://}
echo "vcdcli: server at $HOSTPORT (TLS)"

# A fresh HOME: vcd-cli keeps its profile (token, version) in ~/.vcd-cli; it writes its logs to the current
# directory, so the commands run in the scratch directory.
VENV_BIN=$(cd "$VENV_BIN" && pwd)
(cd "$WORK" && HOME="$WORK/home" HOSTPORT=$HOSTPORT PATH="$VENV_BIN:$PATH" bash -euo pipefail walk.sh) \
  > "$WORK/result" 2>&1 || { cat "$WORK/result"; fail "a vcd command failed"; }
cat "$WORK/result"
grep -q "alice logged in, org: 'acme'" "$WORK/result" || fail "no login line"
grep -Eq '^True +True +acme *$' "$WORK/result" || fail "vcd org list does not show acme logged in and in use"
grep -q 'acme-vdc' "$WORK/result" || fail "vcd vdc list does not show acme-vdc"
grep -q 'alice logged out.' "$WORK/result" || fail "no logout line"
grep -q "api_version: '36.0'" "$WORK/home/.vcd-cli/profiles.yaml" || fail "vcd-cli did not negotiate 36.0"
stop_server $PID vcdcli; PID=
echo "vcdcli: 1 passed, 0 failed"
