#!/bin/sh
# The release's test: extract dossier-VERSION.tar.gz into an empty temporary directory and, from there only (the
# working directory outside the source tree, a PATH with a few POSIX tools and no Maven, JAVA_HOME the runtime):
# make a one-organisation consortium, start its node from a node.yaml, anchor 20 records, verify one from its receipt,
# back the running node up, stop it, audit it, and restore the backup into a new data directory.
#   sh release-test.sh TARBALL [PORT]      (default port 7561; the HTTP API on PORT + 2000)
# Exit code 0 when every step did what it should; the directory is kept and named on failure.
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
port=${2:-7561}
java_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-release-test.XXXXXX")
node_pid=

fail() {
  echo "release test FAILED: $*" >&2
  echo "  (kept: $tmp)" >&2
  if [ -n "$node_pid" ]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  [ -f "$tmp/work/node.log" ] && tail -n 20 "$tmp/work/node.log" >&2
  exit 1
}

# a PATH with the tools the launcher and this test use, and nothing else (no mvn, no java: JAVA_HOME only)
mkdir -p "$tmp/path" "$tmp/home" "$tmp/work"
for tool in sh sed head cut dirname readlink cat grep awk sleep kill; do
  ln -s "$(command -v "$tool")" "$tmp/path/$tool"
done
tar -xzf "$tarball" -C "$tmp"
release=$(ls -d "$tmp"/dossier-*/)
dossier="${release}bin/dossier"
cd "$tmp/work"
run() { env -i PATH="$tmp/path" HOME="$tmp/home" JAVA_HOME="$java_home" DOSSIER_CONFIG_DIR="$tmp/home/keys" "$@"; }
run sh -c 'command -v mvn' >/dev/null 2>&1 && fail "mvn is on the test's PATH"

echo "== release $(basename "$release") in $tmp (no Maven, no source tree)"
run "$dossier" --help | grep -q 'dossier backup' || fail "bin/dossier --help"
run "$dossier" node start --help | grep -q -- '--config' || fail "node start --help"

echo "== network init, node start --config node.yaml"
run "$dossier" network init --orgs 1 --out net --port "$port" >/dev/null || fail "network init"
cat >node.yaml <<YAML
identity:
  network: net
  org: Org1MSP
storage:
  data: data
limits:
  block-timeout-ms: 20
YAML
# exec all the way (subshell, env, launcher): $! is the node's JVM itself, which SIGTERM stops in order
(exec env -i PATH="$tmp/path" HOME="$tmp/home" JAVA_HOME="$java_home" "$dossier" node start --config node.yaml \
  >node.log 2>&1) &
node_pid=$!
for _ in $(seq 1 600); do
  grep -q 'listening on' node.log && break
  kill -0 "$node_pid" 2>/dev/null || fail "the node exited while starting"
  sleep 0.2
done
grep -q 'listening on' node.log || fail "the node did not start in 120 s"

echo "== anchor 20 records, verify one"
run "$dossier" sample-data --rows 20 --seed 7 --out records.csv --no-progress >/dev/null || fail "sample-data"
run "$dossier" anchor --network net --input records.csv --out out --no-progress >anchor.log 2>&1 || fail "anchor: $(cat anchor.log)"
# a record outside mandatory safety training (no safety_module, column 13) does not expire: VALID whenever this runs
id=$(awk -F, 'NR > 1 && $13 == "" { print $1; exit }' records.csv)
run "$dossier" verify --network net --receipt out/records.receipts.jsonl --record-id "$id" >verify.log 2>&1 || true
grep -q VALID verify.log || fail "verify of $id: $(cat verify.log)"

echo "== backup of the running node, stop, audit, restore"
run "$dossier" backup --node data --out backup >backup.log 2>&1 || fail "backup: $(cat backup.log)"
kill "$node_pid"
wait "$node_pid" || true
node_pid=
run "$dossier" audit --data data >audit.log 2>&1 || fail "audit: $(cat audit.log)"
run "$dossier" restore --from backup --data restored >restore.log 2>&1 || fail "restore: $(cat restore.log)"
grep -q 'ledger audit clean' restore.log || fail "restore: $(cat restore.log)"

echo "release test passed: $(grep -m1 '^time' anchor.log || echo 'anchored'); $(cat backup.log)"
cd /
rm -rf "$tmp"
