# shellcheck shell=bash
# The adversity suite of `dossier fault --suite adversity`: sourced by scripts/fault.sh, which provides
# fault_anchor_until_done and fault_alive (and scripts/dossier build, run_node_cli, tools_cp, sample_data,
# start_network_node, network_down).
#
#   dossier fault --suite adversity [--long | --seconds N] [--records N] [--dir DIR] [--only FAULT,...]
#       three nodes of three organisations, each in a network namespace of its own joined by veth pairs to a bridge
#       in a fourth namespace (10.231.0.1-3/24: the only addresses any traffic goes to), and under each fault a bulk
#       upload (dossier anchor, Org1) and one single-record client per organisation. Faults: leader isolated,
#       follower isolated, bridge (leader cut from one follower only), flapping, 200 ms latency and 5% loss between
#       organisations, clock +10 min on the leader and -10 min on a follower, the leader starved of CPU (cgroup),
#       the Raft log's disk full on a node, the leader killed during a configuration change. After each: heights
#       agree, every commitment a client was told committed is on every node and none it was told failed is on any;
#       at the end audit --network with every receipt (each acknowledged record exactly once, identical blocks).
#       Prints a table. Short by default (10 s per fault, about 6 min); --long is 60 s per fault. Needs root.

ADV_PREFIX=dossier-adv
ADV_NET=10.231.0
ADV_FAULTS="leader-isolated follower-isolated bridge flapping slow-lossy clock-ahead clock-behind cpu-starved raft-disk-full config-change"

adv_ns() { echo "$ADV_PREFIX-n$1"; }
adv_in() { local k=$1; shift; ip netns exec "$(adv_ns "$k")" "$@"; }
adv_ipt() { local k=$1; shift; ip netns exec "$(adv_ns "$k")" iptables-legacy -w "$@"; }
adv_now() { date +%s%3N; }
adv_log() { echo "   $(date +%T) $*" | tee -a "$ADV_DIR/events.log"; }

# The node of organisation K: name, port, HTTP URL.
adv_name() { sed -n "${1}p" "$ADV_DIR/nodes.txt" | awk '{print $1}'; }
adv_port() { sed -n "${1}p" "$ADV_DIR/nodes.txt" | awk '{print $4}'; }
adv_url() { echo "http://$ADV_NET.$1:$(($(adv_port "$1") + 2000))"; }
adv_raft() { echo "$ADV_DIR/net/nodes/$(adv_name "$1")/raft"; }
adv_pid() { cat "$ADV_DIR/net/pids/$(adv_name "$1").pid" 2>/dev/null; }

# Whether this machine can run the suite; prints why not. Installs iptables, curl and python3 (Debian) if missing.
adv_preflight() {
  if [[ $(id -u) -ne 0 ]]; then echo "the adversity suite needs root (ip netns, iptables, cgroups, mount)"; return 1; fi
  if ! ip netns add "$ADV_PREFIX-probe" 2>/dev/null; then echo "cannot create a network namespace (ip netns add)"; return 1; fi
  ip netns del "$ADV_PREFIX-probe"
  local packages=()
  command -v iptables-legacy >/dev/null || packages+=(iptables)
  command -v curl >/dev/null || packages+=(curl)
  command -v python3 >/dev/null || packages+=(python3)
  if [[ ${#packages[@]} -gt 0 ]]; then
    echo "installing ${packages[*]} (apt-get install)..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"; } >&2 \
      || { echo "cannot install ${packages[*]}"; return 1; }
  fi
}

# Removes what this suite creates: its processes, namespaces, cgroup and tmpfs mounts under DIR; also the leftovers
# of a run that was killed. Only processes inside its own namespaces are killed, and those it recorded.
adv_cleanup() {
  local dir=$1 pid ns mnt
  for pid in $(cat "$dir"/extra.pids 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  [[ -d "$dir/net/pids" ]] && network_down --dir "$dir/net" >/dev/null 2>&1
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$ADV_PREFIX-" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  adv_cgroup_remove
  for mnt in $(findmnt -rn -o TARGET 2>/dev/null | grep "^$dir/" || true); do umount -l "$mnt" 2>/dev/null || true; done
  rm -f "$dir"/extra.pids
}

# The bridge namespace and one namespace per node, each with a veth pair to the bridge and an address 10.231.0.K;
# chains ADV_IN and ADV_OUT of each node's iptables hold the faults.
adv_network() {
  local br=$ADV_PREFIX-br k
  ip netns add "$br"
  ip -n "$br" link set lo up
  ip -n "$br" link add br0 type bridge
  ip -n "$br" link set br0 up
  for k in 1 2 3; do
    ip netns add "$(adv_ns "$k")"
    ip -n "$(adv_ns "$k")" link set lo up
    ip -n "$br" link add "veth$k" type veth peer name eth0 netns "$(adv_ns "$k")"
    ip -n "$br" link set "veth$k" master br0
    ip -n "$br" link set "veth$k" up
    ip -n "$(adv_ns "$k")" addr add "$ADV_NET.$k/24" dev eth0
    ip -n "$(adv_ns "$k")" link set eth0 up
    adv_ipt "$k" -N ADV_IN
    adv_ipt "$k" -N ADV_OUT
    adv_ipt "$k" -A INPUT -j ADV_IN
    adv_ipt "$k" -A OUTPUT -j ADV_OUT
  done
}

# Node K started in its namespace, its wall clock offset by the duration in ADV_DIR/clock-K (PT0S: none; the node's
# test-only dossier.test.clockOffsetFile, read again every second: see NodeClock). libfaketime would do it without the
# node's help, but costs the JVM about seven times the CPU.
adv_start_node() {
  local k=$1
  echo PT0S >"$ADV_DIR/clock-$k"
  NODE_JAVA_OPTS="$NODE_JAVA_OPTS -Ddossier.test.clockOffsetFile=$ADV_DIR/clock-$k" \
    start_network_node "$ADV_DIR/net" "$(adv_name "$k")" "Org${k}MSP" ip netns exec "$(adv_ns "$k")"
}

adv_metric() { adv_in "$1" curl -s --max-time 2 "$(adv_url "$1")/metrics" | awk -v m="$2" '$1 == m { printf "%d\n", $2 }'; }
adv_height() { local h; h=$(adv_metric "$1" dossier_ledger_height); echo "${h:-?}"; }

# The leader's organisation number, or nothing.
adv_leader() {
  local k
  for k in 1 2 3; do
    [[ "$(adv_metric "$k" dossier_raft_leader)" == 1 ]] && { echo "$k"; return; }
  done
}

# Waits up to $1 s until a leader is known; prints it.
adv_await_leader() {
  local until=$((SECONDS + $1)) l
  while ((SECONDS < until)); do
    l=$(adv_leader)
    [[ -n "$l" ]] && { echo "$l"; return 0; }
    sleep 0.5
  done
  return 1
}

# Waits up to $1 s until every node holds the blocks the highest one held when it was called (the clients go on
# committing, so equal heights at one instant may never be seen); prints the seconds it took.
adv_await_caught_up() {
  local start=$SECONDS until=$((SECONDS + $1)) target=0 h k low
  for k in 1 2 3; do h=$(adv_height "$k"); [[ "$h" =~ ^[0-9]+$ ]] && ((h > target)) && target=$h; done
  while ((SECONDS < until)); do
    low=""
    for k in 1 2 3; do
      h=$(adv_height "$k")
      [[ "$h" =~ ^[0-9]+$ ]] || { low="?"; break; }
      [[ -z "$low" || "$h" -lt "$low" ]] && low=$h
    done
    if [[ "$low" != "?" ]] && ((low >= target)); then echo $((SECONDS - start)); return 0; fi
    sleep 0.5
  done
  echo "never (lowest $low of $target)"
  return 1
}

adv_await_healthy() {
  local k=$1 until=$((SECONDS + $2))
  while ((SECONDS < until)); do
    adv_in "$k" curl -sf --max-time 2 -o /dev/null "$(adv_url "$k")/healthz" && return 0
    fault_alive "$(adv_pid "$k")" || { echo "node $k exited (see $ADV_DIR/net/logs/$(adv_name "$k").log)" >&2; return 1; }
    sleep 0.5
  done
  echo "node $k not healthy in $2 s" >&2
  return 1
}

adv_restart_node() {
  local k=$1 pid
  pid=$(adv_pid "$k")
  if fault_alive "$pid"; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do fault_alive "$pid" || break; sleep 0.1; done
    fault_alive "$pid" && kill -9 "$pid"
    for _ in $(seq 1 100); do fault_alive "$pid" || break; sleep 0.1; done
  fi
  adv_start_node "$k"
  adv_await_healthy "$k" 240
}

# cut A B: drop every packet between nodes A and B, both ways (in both namespaces).
adv_cut() {
  adv_ipt "$1" -A ADV_IN -s "$ADV_NET.$2" -j DROP
  adv_ipt "$1" -A ADV_OUT -d "$ADV_NET.$2" -j DROP
  adv_ipt "$2" -A ADV_IN -s "$ADV_NET.$1" -j DROP
  adv_ipt "$2" -A ADV_OUT -d "$ADV_NET.$1" -j DROP
}
adv_isolate() { local k=$1 o; for o in 1 2 3; do [[ $o != "$k" ]] && adv_cut "$k" "$o"; done; return 0; }
adv_heal_network() { local k; for k in 1 2 3; do adv_ipt "$k" -F ADV_IN; adv_ipt "$k" -F ADV_OUT; done; }

# A follower: the first node that is not the leader.
adv_follower() { local k; for k in 1 2 3; do [[ $k != "$1" ]] && { echo "$k"; return; }; done; }

# The CPU cgroup (v2 or v1) the starved node runs in: 5% of one CPU.
adv_cgroup_dir() {
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then echo "/sys/fs/cgroup/$ADV_PREFIX"; else echo "/sys/fs/cgroup/cpu/$ADV_PREFIX"; fi
}
adv_cgroup_starve() {
  local pid=$1 cg
  cg=$(adv_cgroup_dir)
  mkdir -p "$cg" || return 1
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
    echo "5000 100000" >"$cg/cpu.max"
  else
    echo 100000 >"$cg/cpu.cfs_period_us"
    echo 5000 >"$cg/cpu.cfs_quota_us"
  fi
  echo "$pid" >"$cg/cgroup.procs"
}
adv_cgroup_release() {
  local cg pid
  cg=$(adv_cgroup_dir)
  [[ -d "$cg" ]] || return 0
  for pid in $(cat "$cg/cgroup.procs" 2>/dev/null); do echo "$pid" >"$(dirname "$cg")/cgroup.procs" 2>/dev/null || true; done
}
adv_cgroup_remove() { adv_cgroup_release; rmdir "$(adv_cgroup_dir)" 2>/dev/null || true; }

# The configuration change: the Raft group set to nodes 1 and 2 (node 3 leaves), the leader killed 0.3 s after the
# command's Raft client started; healing restarts it and sets the group back to all three nodes.
adv_config_change() {
  local leader=$1 small="$ADV_DIR/net-without-3"
  rm -rf "$small"
  cp -r "$ADV_DIR/net" "$small"
  rm -rf "$small/nodes" "$small/logs" "$small/pids"
  # consortium.yaml without the third organisation: its last organisation's block
  awk '/^- name: org3$/ { skip = 1; next } /^- name: / || /^[a-z]/ { skip = 0 } !skip' \
    "$ADV_DIR/net/consortium.yaml" >"$small/consortium.yaml"
  local via; via=$(adv_follower 3)
  (adv_in "$via" "$JAVA" -Xmx256m -cp "$(node_cp)" dev.dossier.node.cli.Main network raft-members --network "$small" \
    --node "$(adv_name "$via")" >>"$ADV_DIR/config-change.log" 2>&1) &
  local change=$!
  # the change is under way once the command's Raft client exists (its JVM may take a while to start)
  for _ in $(seq 1 600); do
    grep -q 'raft.grpc.client' "$ADV_DIR/config-change.log" 2>/dev/null && break
    sleep 0.1
  done
  sleep 0.3
  adv_log "kill -9 leader $(adv_name "$leader") during the change to 2 nodes"
  kill -9 "$(adv_pid "$leader")"
  if wait "$change"; then adv_log "change to 2 nodes: done"; else adv_log "change to 2 nodes: failed (see config-change.log)"; fi
}
adv_config_restore() {
  local leader=$1 k
  adv_restart_node "$leader" || return 1
  for _ in 1 2 3 4 5; do
    k=$(adv_await_leader 30) || continue
    if adv_in "$k" "$JAVA" -Xmx256m -cp "$(node_cp)" dev.dossier.node.cli.Main network raft-members --network "$ADV_DIR/net" \
      --node "$(adv_name 3)" >>"$ADV_DIR/config-change.log" 2>&1; then
      adv_log "Raft group back to 3 nodes"
      return 0
    fi
    sleep 2
  done
  adv_log "could not set the Raft group back to 3 nodes (config-change.log)"
  return 1
}

# Fills node 3's Raft tmpfs (mounted at the start, 256 MiB) to the last byte, twice, with a new term after each.
# Ratis writes into the space it preallocated for its open segment (4 MiB) and a short run would not use it up; a new
# term makes every node start a new segment, which takes the space the old one no longer needs (the old one is cut to
# its entries). After the second fill, the next segment finds less than it preallocates. A new term: the leader paused
# for 3 s (SIGSTOP), the others elect another.
adv_fill_raft_disk() {
  local round leader=$1 pid
  for round in 1 2; do
    dd if=/dev/zero of="$(adv_raft 3)/filler-$round" bs=1M status=none 2>/dev/null || true
    pid=$(adv_pid "$leader")
    kill -STOP "$pid"
    sleep 3
    kill -CONT "$pid"
    adv_log "$(adv_name 3)'s Raft tmpfs filled ($(df -k --output=avail "$(adv_raft 3)" | tail -n 1 | tr -d ' ') KiB free);" \
      "leader $(adv_name "$leader") paused 3 s for a new term"
    leader=$(adv_await_leader 10) || leader=$1
  done
}

# What node 3 did with its Raft disk full (its log, its health), then the space freed; the node is restarted only if
# it exited.
adv_free_raft_disk() {
  local log; log="$ADV_DIR/net/logs/$(adv_name 3).log"
  adv_log "$(adv_name 3) with its Raft disk full: healthz $(adv_in 3 curl -s --max-time 2 -o /dev/null -w '%{http_code}' \
    "$(adv_url 3)/healthz"), $(grep -c 'cannot write the Raft log' "$log") Raft log failure(s), Raft server restarts logged \
    $(grep -c 'restarted its Raft server' "$log") (the 1st, 2nd, 4th...; over the whole run)"
  grep -A 1 'cannot write the Raft log' "$log" | tail -n 2 | cut -c1-240 | sed 's/^/      /' | tee -a "$ADV_DIR/events.log"
  rm -f "$(adv_raft 3)"/filler-*
  if ! fault_alive "$(adv_pid 3)"; then
    adv_log "$(adv_name 3) exited with its Raft disk full: restarting it"
    adv_restart_node 3
  fi
}

# Starts fault NAME; prints what it did. ADV_TARGET is the node it hit.
adv_inject() {
  local leader
  leader=$(adv_await_leader 30) || { adv_log "no leader before the fault"; leader=1; }
  ADV_TARGET=$leader
  case $1 in
    leader-isolated) adv_isolate "$leader" ;;
    follower-isolated) ADV_TARGET=$(adv_follower "$leader"); adv_isolate "$ADV_TARGET" ;;
    bridge) adv_cut "$leader" "$(adv_follower "$leader")" ;;
    flapping)
      (set +e
       while [[ ! -f "$ADV_DIR/flap.stop" ]]; do
         adv_isolate $((RANDOM % 3 + 1)); sleep 2; adv_heal_network; sleep 1
       done) &
      echo $! >>"$ADV_DIR/extra.pids"; ADV_FLAPPER=$! ;;
    slow-lossy)
      local k o
      for k in 1 2 3; do
        for o in 1 2 3; do
          [[ $o == "$k" ]] && continue
          adv_ipt "$k" -A ADV_OUT -d "$ADV_NET.$o" -m statistic --mode random --probability 0.05 -j DROP
          adv_ipt "$k" -A ADV_OUT -d "$ADV_NET.$o" -j NFQUEUE --queue-num 0 --queue-bypass
        done
        (exec ip netns exec "$(adv_ns "$k")" python3 "$ROOT/scripts/packet-delay.py" 200 --seconds 900 \
          >>"$ADV_DIR/packet-delay.log" 2>&1) &
        echo $! >>"$ADV_DIR/extra.pids"
      done ;;
    clock-ahead) echo PT10M >"$ADV_DIR/clock-$leader" ;;
    clock-behind) ADV_TARGET=$(adv_follower "$leader"); printf "%s\n" -PT10M >"$ADV_DIR/clock-$ADV_TARGET" ;;
    cpu-starved) adv_cgroup_starve "$(adv_pid "$leader")" ;;
    raft-disk-full) ADV_TARGET=3; adv_fill_raft_disk "$leader" ;;
    config-change) adv_config_change "$leader" ;;
  esac
  adv_log "fault $1 on $(adv_name "$ADV_TARGET") (leader was $(adv_name "$leader"))"
}

# Ends fault NAME.
adv_heal() {
  case $1 in
    flapping) touch "$ADV_DIR/flap.stop"; wait "$ADV_FLAPPER" 2>/dev/null; rm -f "$ADV_DIR/flap.stop"; adv_heal_network ;;
    slow-lossy)
      local pid
      for pid in $(tail -n 3 "$ADV_DIR/extra.pids"); do kill "$pid" 2>/dev/null || true; done
      adv_heal_network ;;
    clock-ahead | clock-behind) echo PT0S >"$ADV_DIR/clock-$ADV_TARGET" ;;
    cpu-starved) adv_cgroup_release ;;
    raft-disk-full) adv_free_raft_disk ;;
    config-change) adv_config_restore "$ADV_TARGET" || return 1 ;;
    *) adv_heal_network ;;
  esac
  adv_log "healed $1"
}

# The single-record clients' lines answered in [FROM, TO) ms: "<committed> <failed> <unknown>".
adv_outcomes() {
  cat "$ADV_DIR"/single-*.log 2>/dev/null | awk -v from="$1" -v to="$2" '$1 >= from && $1 < to {
    n[$4]++ } END { printf "%d %d %d\n", n["COMMITTED"], n["FAILED"], n["UNKNOWN"] }'
}

# Seconds from TO (ms) to the first single-record commit answered after it, or "none".
adv_first_commit_after() {
  cat "$ADV_DIR"/single-*.log 2>/dev/null | awk -v t="$1" '$4 == "COMMITTED" && $1 >= t { if (!m || $1 < m) m = $1 }
    END { if (m) printf "%.1f\n", (m - t) / 1000; else print "none" }'
}

# How many of the commitments on stdin node K holds (/v1/status/{commitment}: 200 held, 404 not). One request at a
# time, waiting when the node's rate limit answers 429; anything else is an error.
adv_count_held() {
  local k=$1 url code held=0 commitment
  url=$(adv_url "$k")
  while read -r commitment; do
    for _ in $(seq 1 50); do
      code=$(adv_in "$k" curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$url/v1/status/$commitment")
      [[ "$code" == 429 ]] || break
      sleep 0.2
    done
    case $code in
      200) held=$((held + 1)) ;;
      404) ;;
      *) echo "node $k answered $code for $commitment" >&2; held=$((held + 1)) ;;
    esac
  done
  echo "$held"
}

# Of the records single-record clients were told FAILED in [FROM, TO) ms, how many some node holds (must be none).
adv_failed_but_held() {
  local k held=0
  cat "$ADV_DIR"/single-*.log | awk -v from="$1" -v to="$2" '$1 >= from && $1 < to && $4 == "FAILED" { print $2 }' \
    >"$ADV_DIR/check.failed"
  for k in 1 2 3; do held=$((held + $(adv_count_held "$k" <"$ADV_DIR/check.failed"))); done
  echo "$held"
}

adversity_suite() {
  local seconds=10 records=1000 dir="$ROOT/build/adversity" only="" port=7051
  while [[ $# -gt 0 ]]; do
    case $1 in
      --suite) shift 2 ;;
      --long) seconds=60; records=10000; shift ;;
      --seconds) seconds=$2; shift 2 ;;
      --records) records=$2; shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      --only) only=${2//,/ }; shift 2 ;;
      *) echo "unknown option $1 (see dossier help fault)" >&2; exit 2 ;;
    esac
  done
  local why
  if ! why=$(adv_preflight); then
    if [[ -n "${CI:-}" ]]; then echo "ADVERSITY SUITE FAILED: $why" >&2; return 1; fi
    echo "adversity suite skipped: $why"
    return 0
  fi
  local faults=${only:-$ADV_FAULTS} f
  for f in $faults; do
    [[ " $ADV_FAULTS " == *" $f "* ]] || { echo "unknown fault $f (faults: $ADV_FAULTS)" >&2; exit 2; }
  done
  build
  export DOSSIER_BUILT=1
  ADV_DIR=$dir
  adv_cleanup "$dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  # shellcheck disable=SC2317
  adversity_cleanup() { adv_cleanup "$ADV_DIR"; }
  trap adversity_cleanup EXIT
  local started=$SECONDS net="$dir/net"
  FAULT_FAILED=0
  adv_network
  run_node_cli network init --orgs 3 --out "$net" --port "$port" --hosts "$ADV_NET.1,$ADV_NET.2,$ADV_NET.3" >/dev/null
  run_node_cli network nodes --network "$net" >"$dir/nodes.txt"
  mkdir -p "$net/pids" "$net/logs" "$(adv_raft 3)"
  echo insecure >"$net/transport"
  # node 3's Raft log on a tmpfs of its own, to fill it (the disk-full fault)
  mount -t tmpfs -o size=256m tmpfs "$(adv_raft 3)"
  echo "== 3 nodes in network namespaces $(adv_ns 1)..3 on $ADV_NET.1-3 (bridge in $ADV_PREFIX-br); logs in $net/logs"
  local k
  for k in 1 2 3; do adv_start_node "$k"; done
  for k in 1 2 3; do adv_await_healthy "$k" 480 || { fault_fail "node $k does not start"; return 1; }; done
  export DOSSIER_CONFIG_DIR="$dir/keys"
  sample_data "$dir/records.csv" $((records * $(wc -w <<<"$faults")))
  # one single-record client per organisation, through its own node, for the whole run
  local budget=$(( (seconds + 200) * 12 ))
  for k in 1 2 3; do
    local msp="$net/organizations/peerOrganizations/org$k.dossier.local/users/Issuer@org$k.dossier.local/msp"
    (exec ip netns exec "$(adv_ns "$k")" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$(tools_cp)" \
      dev.dossier.tools.SingleRecordClient "$ADV_NET.$k:$(adv_port "$k")" "Org${k}MSP" "$msp" dossier notary \
      "$dir/single-$k.log" "$dir/singles.stop" "$budget" 300 >"$dir/single-$k.out" 2>&1) &
    echo $! >>"$dir/extra.pids"
  done
  printf '%-18s %-26s %6s %5s %10s %9s %9s %9s %7s %s\n' fault "hit" bulk runs single commits/s "1st after" \
    "caught up" failed+ result >"$dir/table.txt"
  local n=0
  for f in $faults; do
    n=$((n + 1))
    echo "== fault $n: $f ($seconds s) with a bulk upload of $records records and 3 single-record clients"
    adv_await_caught_up 120 >/dev/null || adv_log "a node lags before $f"
    # this fault's records: the header and the n-th slice of the file made once
    awk -v from=$(((n - 1) * records + 2)) -v to=$((n * records + 1)) 'NR == 1 || (NR >= from && NR <= to)' \
      "$dir/records.csv" >"$dir/bulk-$n.csv"
    local bulk_deadline=$((SECONDS + seconds + 300))
    (set +e; fault_anchor_until_done "$net" "$dir/bulk-$n.csv" "$dir/out" 100 2 "$bulk_deadline" "$dir/anchor-$n.log" \
       ip netns exec "$(adv_ns 1)"; echo "$? $ANCHOR_RUNS" >"$dir/bulk-$n.rc") &
    local bulk=$!
    sleep 3
    local t0 t1 t2
    t0=$(adv_now)
    adv_inject "$f"
    sleep "$seconds"
    t1=$(adv_now)
    local healed=1
    adv_heal "$f" || { healed=0; fault_fail "$f: healing failed"; }
    wait "$bulk"
    local rc runs acked
    read -r rc runs <"$dir/bulk-$n.rc"
    acked=$(wc -l <"$dir/out/bulk-$n.receipts.jsonl" 2>/dev/null || echo 0)
    local same; same=$(adv_await_caught_up 180) || fault_fail "$f: a node does not catch up ($same)"
    t2=$(adv_now)
    local during first present result=ok c_during c_all f_all u_all
    read -r c_during _ _ < <(adv_outcomes "$t0" "$t1")
    read -r c_all f_all u_all < <(adv_outcomes "$t0" "$t2")
    first=$(adv_first_commit_after "$t1")
    present=$(adv_failed_but_held "$t0" "$t2")
    during=$(awk -v c="$c_during" -v ms=$((t1 - t0)) 'BEGIN { printf "%.1f", c * 1000 / ms }')
    ((rc == 0)) || { result=FAIL; fault_fail "$f: the bulk upload did not complete (exit $rc; $dir/anchor-$n.log)"; }
    ((acked == records)) || { result=FAIL; fault_fail "$f: $acked receipts for $records records"; }
    ((present == 0)) || { result=FAIL; fault_fail "$f: $present records told FAILED are on a node"; }
    [[ "$same" =~ ^[0-9]+$ ]] || result=FAIL
    ((healed)) || result=FAIL
    printf '%-18s %-26s %6s %5s %10s %9s %9s %9s %7s %s\n' "$f" "$(adv_name "$ADV_TARGET")" "$acked" "$runs" \
      "$c_all/$f_all/$u_all" "$during" "$first s" "$same s" "$present" "$result" >>"$dir/table.txt"
    tail -n 1 "$dir/table.txt"
  done
  touch "$dir/singles.stop"
  sleep 2
  # singles' commitments as receipts: the audit holds every node to them as to the bulk receipts
  cat "$dir"/single-*.log | awk '$4 == "COMMITTED" { printf "{\"record_id\":\"single-%s\",\"version\":1,\"commitment\":\"%s\",\"outcome\":\"ANCHORED\"}\n", $2, $2 }' \
    >"$dir/out/singles.receipts.jsonl"
  local unknown_present
  unknown_present=$(cat "$dir"/single-*.log | awk '$4 == "UNKNOWN" { print $2 }' | adv_count_held 1)
  for pid in $(cat "$dir/extra.pids"); do kill "$pid" 2>/dev/null || true; done
  network_down --dir "$net" >/dev/null || fault_fail "a node did not stop cleanly"
  echo "== audit --network with every receipt (bulk and single-record)"
  local receipts=() file
  for file in "$dir"/out/*.receipts.jsonl; do receipts+=(--receipts "$file"); done
  set +e
  run_node_cli audit --network "$net" "${receipts[@]}" >"$dir/audit.log" 2>&1
  local audit_rc=$?
  set -e
  tail -n 8 "$dir/audit.log"
  ((audit_rc == 0)) || fault_fail "audit --network reports a problem (exit $audit_rc; $dir/audit.log)"
  local totals; totals=$(adv_outcomes 0 99999999999999)
  echo "== adversity suite: $seconds s per fault, $records bulk records per fault, load $(cut -d' ' -f1-3 /proc/loadavg), $((SECONDS - started)) s"
  cat "$dir/table.txt"
  echo "bulk = records acknowledged (receipts) of the upload during the fault, in runs client runs; single ="
  echo "committed/failed/unknown answers to the single-record clients from the fault until caught up; commits/s of them"
  echo "under the fault; 1st after = from healing to the first single-record commit; caught up = from the end of the"
  echo "upload until every node holds the highest node's blocks; failed+ = records told FAILED that a node holds."
  echo "All single-record answers (committed failed unknown): $totals; unknown ones on the ledger: $unknown_present."
  echo "audit: $(grep -c 'exactly once' "$dir/audit.log" || true) nodes hold every receipt's commitment exactly once; exit $audit_rc"
  if ((FAULT_FAILED)); then echo "ADVERSITY SUITE FAILED" >&2; return 1; fi
  echo "adversity suite passed"
}
