# Sourced by the vcd-cli suites after they set SUITE, BIN, VCD and WORK: the server's start, and the checks.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/stop-server.sh"

# start_server [flags...]: vcd-mock on a free port (its log in $WORK/server.log); sets PID and BASE.
start_server() {
  "$BIN" --port 0 --log-level warning "$@" > "$WORK/server.log" &
  PID=$!
  # Wait (30 s at most) for "vcd-mock listening on http://HOST:PORT".
  for _ in $(seq 300); do grep -q 'listening on' "$WORK/server.log" && break; sleep 0.1; done
  local line
  line=$(grep -m1 'listening on' "$WORK/server.log") || { echo "vcdcli: server did not start"; cat "$WORK/server.log"; exit 1; }
  BASE=${line##* }
  BASE=${BASE%/}
  echo "vcdcli: server at $BASE"
}

fail() { echo "vcdcli: $*"; echo "$SUITE: 0 passed, 1 failed"; exit 1; }
# expect WHAT OUTPUT PATTERN...: every pattern must appear in OUTPUT
expect() {
  local what=$1 out=$2; shift 2
  for p in "$@"; do grep -q -- "$p" <<<"$out" || fail "$what: no \"$p\" in:"$'\n'"$out"; done
  echo "vcdcli: $what: ok"
}
vcd() { (cd "$WORK" && "$VCD" "$@" 2>&1) || true; }   # failures show in the output checks
