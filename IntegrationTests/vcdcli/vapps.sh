#!/usr/bin/env bash
# vcd-cli 24.1.0, pinned to API 33.0 (pyvcloud compares versions as strings, so at "5.5" it takes the 33+
# records-query path to catalogs anyway): vcd vapp create (from acme's centos7 template), list, info, power-off,
# power-on, undeploy and delete, each waiting for its task as vcd-cli does.
# Usage: IntegrationTests/vcdcli/vapps.sh [vcd-mock binary] [vcd executable]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
VCD=$(realpath "${2:-.build/venvs/vcd-cli-24.1.0/bin/vcd}")
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
export HOME=$WORK   # vcd-cli keeps its profile in ~/.vcd-cli

# Short tasks: vcd-cli polls a task right away, then every 5 s.
SUITE="vcdcli vapps"
. IntegrationTests/vcdcli/common.sh
start_server --task-duration 0.2

vcd login "$BASE" acme alice -p alice -V 33.0 >/dev/null || fail "vcd login as alice failed"
out=$(vcd vapp create web2 -c acme-catalog -t centos7); expect "vcd vapp create" "$out" "result: success"
out=$(vcd vapp list); expect "vcd vapp list" "$out" web2 POWERED_ON acme-vdc
grep -q billing <<<"$out" && fail "alice sees globex's vApp: $out"
out=$(vcd vapp info web2); expect "vcd vapp info" "$out" web2 centos7-vm
out=$(vcd vapp power-off web2 -y); expect "vcd vapp power-off" "$out" vappPowerOff "result: success"
out=$(vcd vapp power-on web2); expect "vcd vapp power-on" "$out" vappDeploy "result: success"
out=$(vcd vapp undeploy web2 -y); expect "vcd vapp undeploy" "$out" vappUndeployPowerOff "result: success"
out=$(vcd vapp delete web2 -y); expect "vcd vapp delete" "$out" vdcDeleteVapp "result: success"
out=$(vcd vapp list); grep -q web2 <<<"$out" && fail "web2 is still listed after delete: $out"
vcd logout >/dev/null
stop_server $PID "vcdcli vapps"; PID=
echo "vcdcli vapps: 1 passed, 0 failed"
