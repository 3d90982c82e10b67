#!/usr/bin/env bash
# vcd-cli 24.1.0, pinned to API 5.5, lists tasks, catalogs and users through the query service: the
# fixture objects and the ones this script creates (two service tasks, an org added with POST /mock/fixtures).
# Usage: IntegrationTests/vcdcli/query.sh [vcd-mock binary] [vcd executable]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/vcd-mock}
VCD=$(realpath "${2:-.build/venvs/vcdcli-24.1.0/bin/vcd}")
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
export HOME=$WORK   # vcd-cli keeps its profile in ~/.vcd-cli

SUITE="vcdcli query"
. IntegrationTests/vcdcli/common.sh
start_server

# Created objects: an org with an administrator and a catalog, and two service tasks in acme.
curl -sf -X POST "$BASE/mock/fixtures" --data-binary @- >/dev/null <<'YAML' || fail "POST /mock/fixtures failed"
orgs:
  - name: initech
    users:
      - name: dave
        password: dave
        role: org administrator
        fullName: Dave Created
    catalogs:
      - name: initech-catalog
YAML
TOKEN=$(curl -sf -D - -o /dev/null -X POST -u administrator@System:vmware -H 'Accept: application/*+xml;version=5.5' \
  "$BASE/api/sessions" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-vcloud-authorization"{print $2}')
[ -n "$TOKEN" ] || fail "sysadmin login with curl failed"
for n in 1 2; do
  curl -sf -X POST -H "x-vcloud-authorization: $TOKEN" -H 'Accept: application/*+xml;version=5.5' \
    -H 'Content-Type: application/vnd.vmware.vcloud.task+xml' "$BASE/api/tasksList/26" \
    --data "<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\" name=\"vcdcli-task-$n\" status=\"running\" serviceNamespace=\"org.example.vcdcli\"/>" \
    >/dev/null || fail "creating task $n failed"
done

# An org administrator: the user view types (task, catalog, user), own org only.
vcd login "$BASE" acme alice -p alice -V 5.5 >/dev/null || fail "vcd login as alice failed"
out=$(vcd task list); expect "alice: vcd task list" "$out" vcdcli-task-1 vcdcli-task-2 org.example.vcdcli acme
grep -q globex <<<"$out" && fail "alice sees globex tasks: $out"
out=$(vcd task list RUNNING); expect "alice: vcd task list RUNNING" "$out" vcdcli-task-1
out=$(vcd catalog list); expect "alice: vcd catalog list" "$out" acme-catalog
grep -q globex-catalog <<<"$out" && fail "alice sees globex catalogs: $out"
out=$(vcd user list); expect "alice: vcd user list" "$out" alice "Alice Admin"
out=$(vcd role list); expect "alice: vcd role list" "$out" "Organization Administrator" "vApp User"
vcd logout >/dev/null

# The created org's administrator sees the created catalog and user.
vcd login "$BASE" initech dave -p dave -V 5.5 >/dev/null || fail "vcd login as dave failed"
out=$(vcd catalog list); expect "dave: vcd catalog list" "$out" initech-catalog
out=$(vcd user list); expect "dave: vcd user list" "$out" dave "Dave Created"
vcd logout >/dev/null

# A system administrator: the admin* types across orgs; `vcd user list -o ORG` filters by org.
vcd login "$BASE" System administrator -p vmware -V 5.5 >/dev/null || fail "vcd login as administrator failed"
out=$(vcd task list); expect "sysadmin: vcd task list" "$out" vcdcli-task-1 vcdcli-task-2 org.example.vcd.backup globex
out=$(vcd catalog list); expect "sysadmin: vcd catalog list" "$out" acme-catalog globex-catalog initech-catalog
out=$(vcd user list -o initech); expect "sysadmin: vcd user list -o initech" "$out" dave
grep -q alice <<<"$out" && fail "user list -o initech shows alice: $out"
out=$(vcd user list -o globex); expect "sysadmin: vcd user list -o globex" "$out" bob carol
vcd logout >/dev/null
stop_server $PID "vcdcli query"; PID=
echo "vcdcli query: 1 passed, 0 failed"
