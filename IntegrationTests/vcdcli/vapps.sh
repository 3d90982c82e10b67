#!/usr/bin/env bash
# vcd-cli 24.1.0, pinned to API 33.0 (pyvcloud compares versions as strings, so at "5.5" it takes the 33+
# records-query path to catalogs anyway): vcd vapp create (from acme's centos7 template), list, info, power-off,
# power-on, undeploy and delete, each waiting for its task as vcd-cli does; vcd vapp create without a template
# (composeVApp); and the vm / vAppTemplate / catalogItem query types through vcd vapp list NAME, vcd catalog
# list CATALOG, vcd catalog info CATALOG ITEM and vcd search, as a tenant and (admin types) as the system
# administrator. (vcd vm list is "not implemented" in vcd-cli 24.1.0 itself.)
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
# vm query (containerName==web2): the vApp's VM, not the template's.
out=$(vcd vapp list web2); expect "vcd vapp list web2" "$out" centos7-vm POWERED_ON 1024
grep -q POWERED_OFF <<<"$out" && fail "vcd vapp list web2 shows the template's VM too: $out"
# Compose: an empty vApp, RESOLVED when its task ends; then deleted.
out=$(vcd vapp create empty1 -d "composed by vcd-cli" -n acme-net); expect "vcd vapp create (compose)" "$out" vdcComposeVapp "result: success"
out=$(vcd vapp list); expect "vcd vapp list (composed)" "$out" empty1 RESOLVED
out=$(vcd vapp info empty1); expect "vcd vapp info (composed)" "$out" empty1 Resolved
out=$(vcd vapp delete empty1 -y); expect "vcd vapp delete (composed)" "$out" vdcDeleteVapp "result: success"
# catalogItem query (idrecords, catalogName==): both fixture templates; the item and its template.
out=$(vcd catalog list acme-catalog); expect "vcd catalog list acme-catalog" "$out" centos7 web-stack vapptemplate RESOLVED acme-vdc
out=$(vcd catalog info acme-catalog web-stack); expect "vcd catalog info acme-catalog web-stack" "$out" \
  "template-name *web-stack" "template-vm-1: name *web" "template-vm-2: name *db"
out=$(vcd search vm -f isVAppTemplate==true); expect "vcd search vm" "$out" centos7-vm web db
out=$(vcd search vapptemplate); expect "vcd search vapptemplate" "$out" centos7 web-stack acme-catalog
out=$(vcd search catalogitem -f name==web*); expect "vcd search catalogitem" "$out" web-stack
grep -q centos7 <<<"$out" && fail "vcd search catalogitem -f name==web* shows centos7: $out"
out=$(vcd vapp power-off web2 -y); expect "vcd vapp power-off" "$out" vappPowerOff "result: success"
out=$(vcd vapp power-on web2); expect "vcd vapp power-on" "$out" vappDeploy "result: success"
out=$(vcd vapp undeploy web2 -y); expect "vcd vapp undeploy" "$out" vappUndeployPowerOff "result: success"
out=$(vcd vapp delete web2 -y); expect "vcd vapp delete" "$out" vdcDeleteVapp "result: success"
out=$(vcd vapp list); grep -q web2 <<<"$out" && fail "web2 is still listed after delete: $out"
vcd logout >/dev/null

# The system administrator: admin types, every org (vcd login to System has no vdc, so no vcd vapp list).
vcd login "$BASE" System administrator -p vmware -V 33.0 >/dev/null || fail "vcd login as administrator failed"
out=$(vcd catalog list acme-catalog); expect "administrator: vcd catalog list acme-catalog" "$out" centos7 web-stack
out=$(vcd search adminvm -f containerName==billing); expect "administrator: vcd search adminvm" "$out" billing-vm POWERED_ON bob
out=$(vcd search adminvapptemplate); expect "administrator: vcd search adminvapptemplate" "$out" centos7 web-stack
out=$(vcd search admincatalogitem); expect "administrator: vcd search admincatalogitem" "$out" centos7 web-stack
vcd logout >/dev/null
stop_server $PID "vcdcli vapps"; PID=
echo "vcdcli vapps: 1 passed, 0 failed"
