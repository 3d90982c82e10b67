# Sourced by the shell suites: stop_server PID NAME sends SIGTERM and fails the suite unless vcd-mock exits 0
# within 20 s (README: exit 0 on SIGTERM, also when its stdout reader is gone).
stop_server() {
    local pid=$1 name=$2 rc=0
    kill -TERM "$pid" 2>/dev/null || true
    ( sleep 20; kill -KILL "$pid" 2>/dev/null ) &
    local watchdog=$!
    wait "$pid" || rc=$?
    kill "$watchdog" 2>/dev/null || true
    if [ "$rc" -ne 0 ]; then echo "$name: vcd-mock exited $rc after SIGTERM, expected 0"; echo "$name: 0 passed, 1 failed"; exit 1; fi
}
