# The fault suite of `dossier fault`: sourced by scripts/dossier, which provides build, run_node_cli,
# run_client_cli, network_up, network_down, start_network_node, wait_for_port, node_http_url and sample_data.
#
#   dossier fault [--records N] [--kills K] [--interval S] [--batch-size B] [--in-flight F] [--timeout S] [--port P]
#                 [--dir DIR]
#       kill -9 a random node of a 3-node network K times while `dossier anchor` uploads N records through one of
#       them; the client is re-run (resuming from its journal) whenever it fails. Then: every receipt's commitment is
#       anchored exactly once on every node, the nodes hold the same blocks and commitment log, `audit --network` is
#       clean. Exit code 0 when all holds, 1 on any violation or when the run takes longer than --timeout.
#   dossier fault --disk-full [--timeout S] [--port P] [--dir DIR]
#       a one-node network whose data is on a 64 MiB tmpfs: the node must stop acknowledging when it fills, and work
#       again (audit clean) after space is freed and it is restarted. Needs root (mount).

fault_fail() {
  echo "FAULT SUITE FAILED: $*" >&2
  FAULT_FAILED=1
}

# Whether the process is alive. A killed JVM is gone only once its last thread has exited: its thread group leader
# turns zombie first while other threads (one in the middle of an fsync, say) still hold its files and sockets.
fault_alive() {
  local pid=$1 task state
  kill -0 "$pid" 2>/dev/null || return 1
  for task in /proc/"$pid"/task/*; do
    state=$(awk '{print $3}' "$task/stat" 2>/dev/null || echo X)
    [[ "$state" != Z && "$state" != X ]] && return 0
  done
  return 1
}

# The kill loop, run in the background: K times, wait until every node listens, pause 0.5 to $interval seconds,
# SIGKILL the JVM of a node picked at random, wait until it is gone and start it again. At most one node is down at a
# time, so a majority always can be: what a 3-node Raft group promises to survive. One line per event in $events.
fault_kill_loop() {
  set +e
  local net=$1 kills=$2 interval=$3 deadline=$4 events=$5
  local -a names msps ports
  local name msp host nport
  while read -r name msp host nport; do
    names+=("$name"); msps+=("$msp"); ports+=("$nport")
  done < <(run_node_cli network nodes --network "$net")
  local k i j pid newpid t0
  for ((k = 1; k <= kills; k++)); do
    t0=$SECONDS
    for j in "${!names[@]}"; do
      pid=$(cat "$net/pids/${names[$j]}.pid")
      while ! (exec 3<>"/dev/tcp/127.0.0.1/${ports[$j]}") 2>/dev/null; do
        if ! fault_alive "$pid"; then
          echo "node ${names[$j]} (pid $pid) exited by itself (see $net/logs/${names[$j]}.log)" >>"$events"; return 1
        fi
        if ((SECONDS >= deadline)); then echo "timeout: ${names[$j]} does not listen" >>"$events"; return 1; fi
        sleep 0.2
      done
    done
    if ((k > 1)); then echo "restart $((k - 1)) listening $((SECONDS - t0)) s later" >>"$events"; fi
    sleep "$(awk -v m="$interval" -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (m - 0.5) * r / 32767 }')"
    if ((SECONDS >= deadline)); then echo "timeout before kill $k" >>"$events"; return 1; fi
    i=$((RANDOM % ${#names[@]}))
    pid=$(cat "$net/pids/${names[$i]}.pid")
    kill -9 "$pid"
    echo "kill $k ${names[$i]} pid $pid at $SECONDS s upload=$([[ -f "$net/../upload.done" ]] && echo done || echo running)" >>"$events"
    for _ in $(seq 1 300); do fault_alive "$pid" || break; sleep 0.1; done
    if fault_alive "$pid"; then echo "pid $pid survived kill -9" >>"$events"; return 1; fi
    start_network_node "$net" "${names[$i]}" "${msps[$i]}"
  done
  t0=$SECONDS
  pid=$(cat "$net/pids/${names[$i]}.pid")
  if wait_for_port "${ports[$i]}" "$pid" 2>>"$events"; then
    echo "restart $kills listening $((SECONDS - t0)) s later" >>"$events"
  else
    echo "restart of ${names[$i]} after kill $kills FAILED (see $net/logs/${names[$i]}.log)" >>"$events"; return 1
  fi
  return 0
}

# fault_anchor_until_done NET INPUT OUT BATCH IN_FLIGHT DEADLINE LOG [PREFIX...]: 'dossier anchor' of INPUT through
# Org1's node (user Issuer), run again whenever it fails (it resumes from its journal) until it succeeds, refuses rows
# (exit 3) or $SECONDS reaches DEADLINE (137). PREFIX words run the client's JVM through a command that execs it
# (ip netns exec NS). Sets ANCHOR_RUNS; the client's output is appended to LOG.
fault_anchor_until_done() {
  local net=$1 input=$2 out=$3 batch=$4 in_flight=$5 deadline=$6 log=$7 rc left
  shift 7
  ANCHOR_RUNS=0
  while :; do
    left=$((deadline - SECONDS))
    ((left > 0)) || return 137
    ANCHOR_RUNS=$((ANCHOR_RUNS + 1))
    echo "-- client run $ANCHOR_RUNS" >>"$log"
    timeout -s KILL "$left" "$@" "$JAVA" $JAVA_OPTS -cp "$(client_cp)" dev.dossier.client.cli.Main anchor \
      --network "$net" --org Org1MSP --user Issuer --input "$input" --out "$out" --batch-size "$batch" \
      --in-flight "$in_flight" --no-progress >>"$log" 2>&1
    rc=$?
    if ((rc == 0 || rc == 3 || rc == 137)); then return "$rc"; fi
    echo "   client run $ANCHOR_RUNS failed (exit $rc): re-running it (resumes from its journal)" >>"$log"
    sleep 1
  done
}

# Prints the ledger heights of the running nodes, one per line, from their metrics.
fault_heights() {
  local net=$1 name msp host nport
  while read -r name msp host nport; do
    curl -s --max-time 2 "$(node_http_url "$nport")/metrics" \
      | awk '/^dossier_ledger_height / { printf "%d\n", $2 }' || echo "?"
  done < <(run_node_cli network nodes --network "$net")
}

fault_suite() {
  if [[ "${1:-}" == --suite ]]; then
    [[ "${2:-}" == adversity ]] || { echo "unknown suite '${2:-}' (the one suite is: adversity)" >&2; exit 2; }
    # shellcheck source=scripts/adversity.sh
    source "$ROOT/scripts/adversity.sh"
    adversity_suite "${@:3}"
    return
  fi
  local records=100000 kills=20 interval=3 batch=100 in_flight=1 timeout=1500 port=7451 dir="$ROOT/build/fault" disk_full=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --records) records=$2; shift 2 ;;
      --kills) kills=$2; shift 2 ;;
      --interval) interval=$2; shift 2 ;;
      --batch-size) batch=$2; shift 2 ;;
      --in-flight) in_flight=$2; shift 2 ;;
      --timeout) timeout=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      --disk-full) disk_full=1; shift ;;
      *) echo "unknown option $1 (see dossier help)" >&2; exit 2 ;;
    esac
  done
  build
  export DOSSIER_BUILT=1
  if ((disk_full)); then
    fault_disk_full "$dir-disk" "$port" "$timeout"
    return
  fi
  local started=$SECONDS deadline=$((SECONDS + timeout))
  FAULT_FAILED=0
  rm -rf "$dir"
  mkdir -p "$dir"
  local net="$dir/net" input="$dir/records.csv" out="$dir/out" events="$dir/events.log"
  : >"$events"
  echo "== generating $records records (dossier sample-data)"
  sample_data "$input" "$records"
  echo "== starting 3 nodes on 127.0.0.1:$port-$((port + 2)) (logs in $net/logs)"
  network_up 3 --dir "$net" --port "$port" >"$dir/network-up.log" || { cat "$dir/network-up.log"; return 1; }
  local killer=""
  # shellcheck disable=SC2317
  fault_cleanup() {
    if [[ -n "$killer" ]] && kill -0 "$killer" 2>/dev/null; then kill "$killer" 2>/dev/null || true; wait "$killer" 2>/dev/null || true; fi
    network_down --dir "$net" >/dev/null 2>&1 || true
  }
  trap fault_cleanup EXIT
  echo "== anchoring with 'dossier anchor' through Org1's node while $kills times a random node is killed (kill -9) and restarted"
  fault_kill_loop "$net" "$kills" "$interval" "$deadline" "$events" &
  killer=$!
  local runs rc upload_started=$SECONDS
  export DOSSIER_CONFIG_DIR="$dir/keys"
  set +e
  fault_anchor_until_done "$net" "$input" "$out" "$batch" "$in_flight" "$deadline" "$dir/anchor.log"
  rc=$?
  set -e
  runs=$ANCHOR_RUNS
  local reruns=$((runs - 1))
  if ((rc == 3)); then fault_fail "the client refused rows or the ledger refused records (exit 3; $dir/anchor.log)"; fi
  if ((rc == 137)); then fault_fail "timeout ($timeout s) during the upload"; fi
  local upload_seconds=$((SECONDS - upload_started))
  touch "$dir/upload.done"
  echo "== upload finished after $upload_seconds s ($runs client runs); waiting for the kill loop"
  set +e
  while kill -0 "$killer" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
  if kill -0 "$killer" 2>/dev/null; then
    kill "$killer"; fault_fail "timeout ($timeout s) in the kill loop"
  fi
  wait "$killer"
  local kill_rc=$?
  killer=""
  set -e
  ((kill_rc == 0)) || fault_fail "the kill loop stopped: $(tail -n 1 "$events")"
  # every node up again (restarts a node the kill loop left down), then wait until all have the same height
  network_up 3 --dir "$net" --port "$port" >>"$dir/network-up.log" || fault_fail "a node does not start (network up)"
  local heights same=0
  for _ in $(seq 1 120); do
    heights=$(fault_heights "$net" | tr '\n' ' ')
    if [[ $(echo "$heights" | tr ' ' '\n' | grep -v '^$' | sort -u | wc -l) -eq 1 && "$heights" != *"?"* ]]; then
      same=$((same + 1)); ((same >= 2)) && break
    else
      same=0
    fi
    ((SECONDS < deadline)) || break
    sleep 1
  done
  echo "== heights before stopping: $heights"
  network_down --dir "$net" >/dev/null || fault_fail "a node did not stop cleanly"
  trap - EXIT
  echo "== audit --network with the receipts"
  set +e
  run_node_cli audit --network "$net" --receipts "$out/records.receipts.jsonl" >"$dir/audit.log" 2>&1
  rc=$?
  set -e
  cat "$dir/audit.log"
  ((rc == 0)) || fault_fail "audit --network reports a problem (exit $rc)"
  local receipts kills_done kills_during restarts
  receipts=$(wc -l <"$out/records.receipts.jsonl" 2>/dev/null || echo 0)
  ((receipts == records)) || fault_fail "$receipts receipts for $records records"
  kills_done=$(grep -c '^kill ' "$events" || true)
  kills_during=$(grep -c '^kill .*upload=running' "$events" || true)
  restarts=$(grep -c '^restart [0-9]* listening' "$events" || true)
  ((kills_done == kills)) || fault_fail "$kills_done kills of $kills"
  echo "== fault suite summary"
  echo "   records        $records ($receipts receipts, one per record)"
  echo "   kills          $kills_done (kill -9; $kills_during while the upload ran), restarts $restarts"
  echo "   client runs    $runs ($reruns re-runs after a failure)"
  echo "   upload         $upload_seconds s; whole run $((SECONDS - started)) s (limit $timeout s)"
  echo "   heights        $(grep -E '^node.*height [0-9]+,' "$dir/audit.log" | sed -E 's/^([^:]+):.*height ([0-9]+),.*/\1=\2/' | tr '\n' ' ')"
  echo "   events         $events; client output $dir/anchor.log; node logs $net/logs"
  if ((FAULT_FAILED)); then
    echo "FAULT SUITE FAILED" >&2
    return 1
  fi
  echo "fault suite passed: every acknowledged record is on every node exactly once, the nodes agree, audit clean"
}

# dossier fault --disk-full: a one-node network whose nodes/ directory is a 64 MiB tmpfs, filled up during an upload.
fault_disk_full() {
  local dir=$1 port=$2 timeout=$3
  local started=$SECONDS net="$dir/net" mnt="$dir/net/nodes" out="$dir/out" input="$dir/records.csv"
  FAULT_FAILED=0
  if [[ $(id -u) -ne 0 ]]; then
    echo "FAULT SUITE FAILED: --disk-full mounts a 64 MiB tmpfs and needs root; run it as root" >&2
    return 1
  fi
  if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt"; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  run_node_cli network init --orgs 1 --out "$net" --port "$port" >/dev/null
  mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=64m tmpfs "$mnt"; then
    echo "FAULT SUITE FAILED: cannot mount a tmpfs on $mnt (mount -t tmpfs -o size=64m): the disk-full test did not run" >&2
    return 1
  fi
  FD_NET=$net FD_MNT=$mnt
  # shellcheck disable=SC2317
  fault_disk_cleanup() {
    network_down --dir "$FD_NET" >/dev/null 2>&1 || true
    umount "$FD_MNT" 2>/dev/null || true
  }
  trap fault_disk_cleanup EXIT
  sample_data "$input" 10000
  export DOSSIER_CONFIG_DIR="$dir/keys"
  network_up 1 --dir "$net" --port "$port" >"$dir/network-up.log" || { cat "$dir/network-up.log"; return 1; }
  local name pid
  name=$(basename "$(ls "$net"/pids/*.pid)" .pid)
  echo "== node $name with its data on a 64 MiB tmpfs ($mnt): $(df -h --output=avail "$mnt" | tail -n 1 | tr -d ' ') free"
  # leave about 8 MiB: the upload of 10,000 records needs more (about 19 MiB of ledger alone)
  local avail_kb
  avail_kb=$(df -k --output=avail "$mnt" | tail -n 1 | tr -d ' ')
  dd if=/dev/zero of="$mnt/filler" bs=1K count=$((avail_kb - 8 * 1024)) status=none 2>/dev/null || true
  echo "== filler written: $(df -h --output=avail "$mnt" | tail -n 1 | tr -d ' ') free; uploading 10,000 records until the disk is full"
  anchor_once() {
    timeout -s KILL 300 "$JAVA" $JAVA_OPTS -cp "$(client_cp)" dev.dossier.client.cli.Main anchor --network "$net" \
      --input "$input" --out "$out" --batch-size 500 --in-flight 2 --no-progress >>"$dir/anchor.log" 2>&1
  }
  set +e
  anchor_once
  local rc=$?
  set -e
  local acked_full
  acked_full=$(wc -l <"$out/records.receipts.jsonl" 2>/dev/null || echo 0)
  echo "   client exit $rc with the disk full; $acked_full records acknowledged (receipts) before it filled"
  ((rc != 0)) || fault_fail "the upload succeeded although the disk is full (is the tmpfs too big?)"
  grep -m 3 -i "no space\|IO error" "$net/logs/$name.log" | cut -c1-240 | sed 's/^/   node log: /' || true
  pid=$(cat "$net/pids/$name.pid")
  if fault_alive "$pid"; then echo "   the node is still running (it refuses writes; reads go on)"; else echo "   the node exited"; fi
  # while the disk is full nothing more is acknowledged
  set +e
  anchor_once
  rc=$?
  set -e
  local acked_again
  acked_again=$(wc -l <"$out/records.receipts.jsonl" 2>/dev/null || echo 0)
  echo "   a second upload while full: exit $rc, receipts $acked_again"
  ((rc != 0)) || fault_fail "a second upload succeeded with the disk full"
  ((acked_again == acked_full)) || fault_fail "records were acknowledged with the disk full ($acked_full, then $acked_again)"
  echo "== freeing the space and restarting the node"
  rm -f "$mnt/filler"
  if fault_alive "$pid"; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do fault_alive "$pid" || break; sleep 0.1; done
    if fault_alive "$pid"; then
      echo "   the node did not stop in 30 s on SIGTERM: kill -9"
      kill -9 "$pid"
      for _ in $(seq 1 300); do fault_alive "$pid" || break; sleep 0.1; done
    fi
  fi
  network_up 1 --dir "$net" --port "$port" >>"$dir/network-up.log" || fault_fail "the node does not start again (see $net/logs/$name.log)"
  set +e
  anchor_once
  rc=$?
  set -e
  ((rc == 0)) || fault_fail "the upload does not complete after the restart (exit $rc; $dir/anchor.log)"
  network_down --dir "$net" >/dev/null || fault_fail "the node did not stop cleanly"
  echo "   node data after the upload: $(du -sh "$net/nodes/$name" | cut -f1) (ledger $(du -sh "$net/nodes/$name/ledger" | cut -f1))"
  set +e
  run_node_cli audit --network "$net" --receipts "$out/records.receipts.jsonl" >"$dir/audit.log" 2>&1
  rc=$?
  set -e
  cat "$dir/audit.log"
  ((rc == 0)) || fault_fail "audit --network reports a problem (exit $rc)"
  trap - EXIT
  fault_disk_cleanup
  echo "== disk-full summary: $acked_full records acknowledged before the disk filled, none while it was full," \
    "$(wc -l <"$out/records.receipts.jsonl") of 10000 after freeing space and restarting; $((SECONDS - started)) s"
  if ((FAULT_FAILED)); then echo "FAULT SUITE FAILED" >&2; return 1; fi
  echo "disk-full test passed"
}
