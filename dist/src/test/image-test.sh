#!/bin/sh
# The OCI image's test, without a container runtime: unpack the image's layers in order into a root file system and
# run what the image's configuration says, as a container would: in a mount namespace of its own whose root is that
# file system (unshare, pivot_root, with /proc and /dev), the entry point and arguments, as the image's user, with the
# image's environment. A one-organisation consortium is made in the data volume by that user,
# the node started by the image's own command line from /etc/dossier/node.yaml, the health check of docs/operators.md
# run inside the image until it answers 200, 20 records anchored and one verified with the image's launcher, the
# node stopped by SIGTERM and its data audited.
#   sh image-test.sh IMAGE_TAR [PORT]      (default port 7571; HTTP on PORT + 2000; needs root for the namespaces)
# Exit code 0 when every step did what it should; the directory is kept and named on failure.
set -eu
image=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
port=${2:-7571}
http=$((port + 2000))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-image-test.XXXXXX")
root="$tmp/rootfs"
node_pid=

# stop NODE_PID: SIGTERM to the node's JVM, the child of unshare (which ignores SIGTERM while it waits), and wait
stop() {
  pkill -TERM -P "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
  node_pid=
}
cleanup() {
  if [ -n "$node_pid" ]; then stop; fi
}
fail() {
  echo "image test FAILED: $*" >&2
  echo "  (kept: $tmp)" >&2
  [ -f "$root/var/lib/dossier/node.log" ] && tail -n 20 "$root/var/lib/dossier/node.log" >&2
  cleanup
  exit 1
}
[ "$(id -u)" -eq 0 ] || { echo "image test: needs root (mount namespaces, chroot)" >&2; exit 2; }

echo "== unpacking $(basename "$image") in $tmp"
mkdir -p "$tmp/image" "$root"
tar -xf "$image" -C "$tmp/image"
config=$(cat "$tmp/image/config.json")
# the layers, in the manifest's order (docker save layout: one manifest, one image)
for layer in $(sed -e 's/.*"Layers":\[//' -e 's/\].*//' -e 's/[",]/ /g' "$tmp/image/manifest.json"); do
  case $layer in *.gz) tar --warning=no-unknown-keyword -xzf "$tmp/image/$layer" -C "$root" ;; *) tar --warning=no-unknown-keyword -xf "$tmp/image/$layer" -C "$root" ;; esac
done
field() { printf '%s' "$config" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
user=$(field User)
[ "$user" = 10001:10001 ] || fail "the image's user is '$user', not 10001:10001"
printf '%s' "$config" | grep -q '"Volumes":{"/var/lib/dossier":{}}' || fail "no volume /var/lib/dossier"
printf '%s' "$config" | grep -q '"Entrypoint":\["/opt/dossier/bin/dossier"\]' || fail "entry point"
printf '%s' "$config" | grep -q '"Cmd":\["node","start","--config","/etc/dossier/node.yaml"\]' || fail "arguments"
[ "$(stat -c %a "$root/var/lib/dossier")" = 777 ] || fail "the volume's mount point is not mode 777"
[ -x "$root/opt/dossier/bin/dossier" ] || fail "no launcher at /opt/dossier/bin/dossier"
env=$(printf '%s' "$config" | sed -e 's/.*"Env":\[//' -e 's/\].*//' -e 's/","/ /g' -e 's/"//g')

# enter ARGS...: ARGS in a mount namespace whose root is the image's file system (its own /proc and the host's /dev),
# as the image's user, in the volume, with the image's environment only; the namespace goes with its last process
cat >"$tmp/enter" <<'ENTER'
set -eu
root=$1 user=$2
shift 2
mount --make-rprivate /
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
cd "$root"
mkdir ".host.$$"
pivot_root . ".host.$$"
umount -l "/.host.$$"
rmdir "/.host.$$"
exec chroot --userspec="$user" / "$@"
ENTER
enter() { unshare --mount --fork sh "$tmp/enter" "$root" "$user" env -i HOME=/var/lib/dossier $env "$@"; }
trap cleanup EXIT
run() { enter sh -c 'cd /var/lib/dossier && exec "$@"' sh "$@"; }
[ "$(run id -u)" = 10001 ] || fail "commands do not run as user 10001"
run java -version 2>&1 | grep -q 'version "17' || fail "no Java 17 runtime in the image"

echo "== network init in the volume, as user 10001; node start by the image's command line"
run /opt/dossier/bin/dossier network init --orgs 1 --out /var/lib/dossier/net --port "$port" >/dev/null \
  || fail "network init"
mkdir -p "$root/etc/dossier"
cat >"$root/etc/dossier/node.yaml" <<YAML
identity:
  network: /var/lib/dossier/net
  org: Org1MSP
storage:
  data: /var/lib/dossier/data
limits:
  block-timeout-ms: 20
YAML
# exec all the way: $! is unshare, the node's JVM its only child
(exec unshare --mount --fork sh "$tmp/enter" "$root" "$user" env -i HOME=/var/lib/dossier $env sh -c \
  'cd /var/lib/dossier && exec /opt/dossier/bin/dossier node start --config /etc/dossier/node.yaml >node.log 2>&1') &
node_pid=$!
# the health check operators.md gives for docker run, inside the image
health='exec 3<>/dev/tcp/127.0.0.1/'$http'; printf "GET /healthz HTTP/1.0\r\n\r\n" >&3; head -n 1 <&3 | grep -q " 200 "'
healthy=
for _ in $(seq 1 600); do
  if run bash -c "$health" 2>/dev/null; then healthy=1; break; fi
  kill -0 "$node_pid" 2>/dev/null || fail "the node exited while starting"
  sleep 0.2
done
[ -n "$healthy" ] || fail "/healthz did not answer 200 in 120 s"

echo "== anchor 20 records, verify one, with the image's launcher"
run /opt/dossier/bin/dossier sample-data --rows 20 --seed 7 --out records.csv --no-progress >/dev/null \
  || fail "sample-data"
run env DOSSIER_CONFIG_DIR=/var/lib/dossier/keys /opt/dossier/bin/dossier anchor --network net --input records.csv \
  --out out --no-progress >"$tmp/anchor.log" 2>&1 || fail "anchor: $(cat "$tmp/anchor.log")"
# a record outside mandatory safety training (no safety_module, column 13) does not expire: VALID whenever this runs
id=$(awk -F, 'NR > 1 && $13 == "" { print $1; exit }' "$root/var/lib/dossier/records.csv")
run /opt/dossier/bin/dossier verify --network net --receipt out/records.receipts.jsonl --record-id "$id" \
  >"$tmp/verify.log" 2>&1 || true
grep -q VALID "$tmp/verify.log" || fail "verify of $id: $(cat "$tmp/verify.log")"
[ "$(stat -c %u "$root/var/lib/dossier/data")" = 10001 ] || fail "the node's data does not belong to user 10001"

stop
# stopped (its databases unlocked) and whole
run /opt/dossier/bin/dossier audit --data data >"$tmp/audit.log" 2>&1 || fail "audit after SIGTERM: $(cat "$tmp/audit.log")"
cleanup
trap - EXIT
echo "image test passed: $(grep -m1 '^time' "$tmp/anchor.log" || echo 'anchored'), verified VALID, as user 10001"
rm -rf "$tmp"
