# shellcheck shell=bash
# The differential test of `dossier fabric-e2e`: sourced by scripts/dossier, which provides build, run_node_cli,
# run_client_cli, network_up, network_down, wait_for_port and sample_data.
#
#   dossier fabric-e2e [--dir DIR] [--keep] [--only fabric|dossier]
#       one scenario of client commands (anchor single, batch and bulk with receipts, verify, revoke, supersede,
#       history, dossier, status, the policy functions, the role refusals) run twice: against a Hyperledger Fabric
#       2.5 network on loopback (one etcdraft orderer, one peer per organisation, made from `network init` material,
#       the chaincode deployed with scripts/fabric-deploy and served by the chaincode server jar), then against a
#       two-node Dossier network (`network up 2 --tls`). Both transcripts are normalised (transaction ids, times,
#       block numbers, durations, paths) and must be equal; the differences are printed. Beside the Fabric peers run
#       one follower per organisation (`dossier node follow`); after the scenario a receipt from a follower must
#       verify offline against its trust file, `dossier audit` must accept the blocks they pulled, and their
#       commitment log must equal the Dossier network's, anchoring times, leaf order and card commitments set
#       aside. Fabric comes from
#       FABRIC_HOME, or is built by ../shared/tools/fabric/build.sh beside the repository; without either the test
#       says "skipped" and exits 0. Run directory (logs, transcripts): DIR, default build/fabric-e2e; --keep leaves
#       both networks running at the end (their pids are in DIR/pids).

fe2e_fail() {
  echo "fabric-e2e FAILED: $*" >&2
  exit 1
}

fe2e_step() { echo "== $*"; }

# Sets FABRIC_HOME to a folder with Fabric's binaries: FABRIC_HOME itself, else what build.sh builds. Exits 0 with
# "skipped" when neither exists, 1 when the build fails.
fe2e_fabric_home() {
  local build_sh
  build_sh="$(dirname "$ROOT")/shared/tools/fabric/build.sh"
  local bins=(bin/peer bin/orderer bin/osnadmin bin/configtxgen bin/cryptogen ccaas_builder/bin/release)
  if [[ -n "${FABRIC_HOME:-}" ]] && fe2e_has_all "$FABRIC_HOME" "${bins[@]}"; then
    return 0
  fi
  if [[ -f "$build_sh" ]]; then
    fe2e_step "building Fabric with $build_sh (once; about a minute or more on 2 cores)"
    local out
    out=$(bash "$build_sh" ${FABRIC_HOME:+"$FABRIC_HOME"} 2>"$RUN/fabric-build.log") \
      || { tail -n 30 "$RUN/fabric-build.log" >&2; fe2e_fail "building Fabric with $build_sh failed (log: $RUN/fabric-build.log)"; }
    FABRIC_HOME=$(tail -n 1 <<<"$out")
    fe2e_has_all "$FABRIC_HOME" "${bins[@]}" || fe2e_fail "$build_sh left no Fabric binaries in $FABRIC_HOME"
    return 0
  fi
  if [[ -n "${FABRIC_HOME:-}" ]]; then
    fe2e_fail "FABRIC_HOME=$FABRIC_HOME lacks Fabric 2.5 binaries (${bins[*]}) and there is no $build_sh to build them"
  fi
  echo "skipped: no Fabric (no FABRIC_HOME and no ../shared/tools/fabric)"
  exit 0
}

fe2e_has_all() {
  local dir=$1 f
  shift
  for f in "$@"; do [[ -x "$dir/$f" ]] || return 1; done
  [[ -f "$dir/src/sampleconfig/core.yaml" && -f "$dir/src/sampleconfig/orderer.yaml" ]]
}

# Whether nothing listens on 127.0.0.1:$1.
fe2e_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# fe2e_free_base COUNT STRIDE...: a port P in 20000-30000 such that P + o + i is free for every offset o given and
# every i < COUNT, none of them handed out before in this run. Below Linux's ephemeral range (32768 and up, the
# largest offset, 2000, included): a port there may be taken by any outgoing connection before its server binds it.
FE2E_TAKEN=" "
fe2e_free_base() {
  local count=$1 p o i ok
  shift
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 10000))
    ok=true
    for o in "$@"; do
      for ((i = 0; i < count; i++)); do
        if [[ "$FE2E_TAKEN" == *" $((p + o + i)) "* ]] || ! fe2e_port_free $((p + o + i)); then ok=false; fi
      done
    done
    if $ok; then
      for o in "$@"; do for ((i = 0; i < count; i++)); do FE2E_TAKEN+="$((p + o + i)) "; done; done
      echo "$p"
      return 0
    fi
  done
  fe2e_fail "found no free ports on 127.0.0.1"
}

# Starts "$@" in the background with its output in log $1 (the rest is the command); records its pid.
fe2e_spawn() {
  local log=$1
  shift
  (exec "$@" >>"$log" 2>&1) &
  echo $! >>"$RUN/pids"
  FE2E_LAST_PID=$!
}

fe2e_wait_port() {
  local port=$1 pid=$2 what=$3 log=$4
  for _ in $(seq 1 1800); do
    fe2e_port_free "$port" || return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; fe2e_fail "$what exited during start-up (log: $log)"; }
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  fe2e_fail "$what did not open port $port in 180 s (log: $log)"
}

# fe2e_wait_log LOG PATTERN WHAT: waits (at most 180 s) until LOG has a line with PATTERN; fails with "WHAT in 180 s".
fe2e_wait_log() {
  local log=$1 pattern=$2 what=$3
  for _ in $(seq 1 1800); do
    grep -q "$pattern" "$log" && return 0
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  fe2e_fail "$what in 180 s (log: $log)"
}

# Waits until every peer's gossip sees the other organisation's peer in the channel ("Membership view has changed.
# peers went online" in its log, Fabric's gossip/gossip/channel): until then a peer's gateway finds no combination of
# peers that satisfies the endorsement policy, and the first transaction would be refused (FAILED_PRECONDITION), a
# difference that says nothing about Dossier.
fe2e_wait_membership() {
  local dir=$1 i
  for i in 1 2; do
    fe2e_wait_log "$dir/logs/peer$i.log" "Membership view has changed. peers went online" \
      "the peer of Org${i}MSP saw no other peer of the channel"
  done
}

# Waits until the orderer's Raft has elected a leader for the channel ("Raft leader changed: 0 -> N" in its log,
# Fabric's orderer/consensus/etcdraft): until then it refuses every transaction with SERVICE_UNAVAILABLE ("no Raft
# leader"), and the chaincode approvals would fail on a slow machine.
fe2e_wait_raft_leader() {
  fe2e_wait_log "$1" "Raft leader changed: 0 -> " "the orderer elected no Raft leader for the channel"
}

fe2e_cleanup() {
  local pid
  if [[ -f "$RUN/pids" ]] && ! $FE2E_KEEP; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$RUN/pids"
    while read -r pid; do
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    done <"$RUN/pids"
    rm -f "$RUN/pids"
  fi
  if [[ -d "$RUN/dossier/network/pids" ]] && ! $FE2E_KEEP; then network_down --dir "$RUN/dossier/network" >/dev/null || true; fi
}

# The Fabric network on loopback, from `network init` material in $RUN/fabric/network: orderer, two peers, the
# channel, the chaincode deployed with fabric-deploy and one chaincode server per peer. Sets FE2E_NET.
fe2e_fabric_up() {
  local dir=$RUN/fabric net=$RUN/fabric/network
  mkdir -p "$dir/logs"
  local peers orderer
  peers=$(fe2e_free_base 2 0)
  orderer=$(fe2e_free_base 1 0 1 2)
  local ccaas_base
  ccaas_base=$(fe2e_free_base 2 0 10 20)
  run_node_cli network init --orgs 2 --out "$net" --port "$peers" >"$dir/logs/network-init.log"
  "$FABRIC_HOME/bin/cryptogen" generate --config="$ROOT/network-config/fabric/crypto-config-orderer.yaml" \
    --output="$net/organizations" >"$dir/logs/cryptogen.log" 2>&1 || fe2e_fail "cryptogen failed (log: $dir/logs/cryptogen.log)"
  # configtx.yaml names Docker-style hosts; on one machine every address is 127.0.0.1 with its own port (a name that
  # does not resolve here would send DNS queries off the machine).
  sed -e "s/- orderer\.dossier\.local:7050/- 127.0.0.1:$orderer/" \
    -e "/Host: orderer\.dossier\.local/{s/orderer\.dossier\.local/127.0.0.1/;n;s/Port: .*/Port: $orderer/}" \
    -e "/Host: node0\.org1\.dossier\.local/{s/node0\.org1\.dossier\.local/127.0.0.1/;n;s/Port: .*/Port: $peers/}" \
    -e "/Host: node0\.org2\.dossier\.local/{s/node0\.org2\.dossier\.local/127.0.0.1/;n;s/Port: .*/Port: $((peers + 1))/}" \
    "$ROOT/network-config/fabric/configtx.yaml" >"$net/configtx.yaml"
  FABRIC_CFG_PATH=$net "$FABRIC_HOME/bin/configtxgen" -profile DossierChannel -channelID dossier \
    -outputBlock "$net/channel-artifacts/dossier.block" >"$dir/logs/configtxgen.log" 2>&1 \
    || fe2e_fail "configtxgen failed (log: $dir/logs/configtxgen.log)"

  fe2e_step "Fabric: orderer on 127.0.0.1:$orderer (admin $((orderer + 1)))"
  local od=$net/organizations/ordererOrganizations/dossier.local
  local on=$od/orderers/orderer.dossier.local
  fe2e_spawn "$dir/logs/orderer.log" env FABRIC_CFG_PATH="$FABRIC_HOME/src/sampleconfig" \
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1 ORDERER_GENERAL_LISTENPORT="$orderer" \
    ORDERER_GENERAL_LOCALMSPID=OrdererMSP ORDERER_GENERAL_LOCALMSPDIR="$on/msp" \
    ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY="$on/tls/server.key" \
    ORDERER_GENERAL_TLS_CERTIFICATE="$on/tls/server.crt" ORDERER_GENERAL_TLS_ROOTCAS="[$on/tls/ca.crt]" \
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$on/tls/server.crt" \
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$on/tls/server.key" ORDERER_GENERAL_CLUSTER_ROOTCAS="[$on/tls/ca.crt]" \
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true \
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$((orderer + 1))" ORDERER_ADMIN_TLS_ENABLED=true \
    ORDERER_ADMIN_TLS_CERTIFICATE="$on/tls/server.crt" ORDERER_ADMIN_TLS_PRIVATEKEY="$on/tls/server.key" \
    ORDERER_ADMIN_TLS_ROOTCAS="[$on/tls/ca.crt]" ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true \
    ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$on/tls/ca.crt]" \
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$((orderer + 2))" ORDERER_METRICS_PROVIDER=disabled \
    ORDERER_FILELEDGER_LOCATION="$dir/orderer/ledger" ORDERER_CONSENSUS_WALDIR="$dir/orderer/wal" \
    ORDERER_CONSENSUS_SNAPDIR="$dir/orderer/snap" \
    "$FABRIC_HOME/bin/orderer"
  fe2e_wait_port $((orderer + 1)) "$FE2E_LAST_PID" orderer "$dir/logs/orderer.log"
  "$FABRIC_HOME/bin/osnadmin" channel join --channelID dossier --config-block "$net/channel-artifacts/dossier.block" \
    -o "127.0.0.1:$((orderer + 1))" --ca-file "$od/tlsca/tlsca.dossier.local-cert.pem" \
    --client-cert "$od/users/Admin@dossier.local/tls/client.crt" \
    --client-key "$od/users/Admin@dossier.local/tls/client.key" >"$dir/logs/osnadmin.log" 2>&1 \
    || fe2e_fail "osnadmin channel join failed (log: $dir/logs/osnadmin.log)"
  fe2e_wait_raft_leader "$dir/logs/orderer.log"

  # the peers' core.yaml: Fabric's sample, with the ccaas builder built beside the binaries and no Docker
  mkdir -p "$dir/peercfg"
  sed -e "s|path: /opt/hyperledger/ccaas_builder|path: $FABRIC_HOME/ccaas_builder|" \
    -e 's|endpoint: unix:///var/run/docker.sock|endpoint: ""|' \
    "$FABRIC_HOME/src/sampleconfig/core.yaml" >"$dir/peercfg/core.yaml"
  local i port org pd admin
  for i in 1 2; do
    port=$((peers + i - 1))
    org=$net/organizations/peerOrganizations/org$i.dossier.local
    pd=$org/peers/node0.org$i.dossier.local
    fe2e_step "Fabric: peer of Org${i}MSP on 127.0.0.1:$port, its chaincode server on 127.0.0.1:$((ccaas_base + i - 1))"
    fe2e_spawn "$dir/logs/peer$i.log" env FABRIC_CFG_PATH="$dir/peercfg" \
      CORE_PEER_ID="node0.org$i.dossier.local" CORE_PEER_ADDRESS="127.0.0.1:$port" \
      CORE_PEER_LISTENADDRESS="127.0.0.1:$port" \
      CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$((ccaas_base + 10 + i - 1))" \
      CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$((ccaas_base + 10 + i - 1))" \
      CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:$port" CORE_PEER_GOSSIP_EXTERNALENDPOINT="127.0.0.1:$port" \
      CORE_PEER_LOCALMSPID="Org${i}MSP" CORE_PEER_MSPCONFIGPATH="$pd/msp" \
      CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE="$pd/tls/server.crt" \
      CORE_PEER_TLS_KEY_FILE="$pd/tls/server.key" CORE_PEER_TLS_ROOTCERT_FILE="$pd/tls/ca.crt" \
      CORE_PEER_FILESYSTEMPATH="$dir/peer$i" CORE_LEDGER_SNAPSHOTS_ROOTDIR="$dir/peer$i/snapshots" \
      CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$((ccaas_base + 20 + i - 1))" CORE_METRICS_PROVIDER=disabled \
      CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG="{\"peername\":\"node0org$i\",\"ccport\":\"$((ccaas_base + i - 1))\"}" \
      "$FABRIC_HOME/bin/peer" node start
    fe2e_wait_port "$port" "$FE2E_LAST_PID" "peer of Org${i}MSP" "$dir/logs/peer$i.log"
  done
  for i in 1 2; do
    port=$((peers + i - 1))
    org=$net/organizations/peerOrganizations/org$i.dossier.local
    admin=$org/users/Admin@org$i.dossier.local/msp
    FABRIC_CFG_PATH="$dir/peercfg" CORE_PEER_LOCALMSPID="Org${i}MSP" CORE_PEER_ADDRESS="127.0.0.1:$port" \
      CORE_PEER_MSPCONFIGPATH="$admin" CORE_PEER_TLS_ENABLED=true \
      CORE_PEER_TLS_ROOTCERT_FILE="$org/tlsca/tlsca.org$i.dossier.local-cert.pem" \
      "$FABRIC_HOME/bin/peer" channel join -b "$net/channel-artifacts/dossier.block" >>"$dir/logs/channel-join.log" 2>&1 \
      || fe2e_fail "Org${i}MSP's peer did not join the channel (log: $dir/logs/channel-join.log)"
  done

  fe2e_step "Fabric: deploying the chaincode with scripts/fabric-deploy (package address 127.0.0.1:{{.ccport}})"
  PATH="$FABRIC_HOME/bin:$PATH" FABRIC_CFG_PATH="$dir/peercfg" "$ROOT/scripts/fabric-deploy" --network "$net" \
    --orderer "127.0.0.1:$orderer" --address '127.0.0.1:{{.ccport}}' >"$dir/logs/fabric-deploy.log" 2>&1 \
    || { tail -n 20 "$dir/logs/fabric-deploy.log" >&2; fe2e_fail "fabric-deploy failed (log: $dir/logs/fabric-deploy.log)"; }
  local package_id
  package_id=$(sed -n 's/^export CHAINCODE_ID=//p' "$dir/logs/fabric-deploy.log")
  [[ -n "$package_id" ]] || fe2e_fail "fabric-deploy printed no CHAINCODE_ID (log: $dir/logs/fabric-deploy.log)"
  local jars=("$ROOT"/chaincode/target/dossier-chaincode-*-ccaas.jar) jar
  jar=${jars[0]}
  [[ -f "$jar" ]] || fe2e_fail "no chaincode server jar in chaincode/target (mvn package builds it)"
  for i in 1 2; do
    fe2e_spawn "$dir/logs/ccaas$i.log" env CHAINCODE_SERVER_ADDRESS="127.0.0.1:$((ccaas_base + i - 1))" \
      CHAINCODE_ID="$package_id" "$JAVA" -Xmx256m -XX:+UseSerialGC -jar "$jar"
    FE2E_CCAAS_PIDS[i]=$FE2E_LAST_PID
  done
  for i in 1 2; do
    fe2e_wait_port $((ccaas_base + i - 1)) "${FE2E_CCAAS_PIDS[$i]}" "chaincode server $i" "$dir/logs/ccaas$i.log"
  done
  fe2e_wait_membership "$dir"
  FE2E_NET=$net
  FE2E_PEER_BASE=$peers
  fe2e_followers_up
}

# One follower per organisation beside the Fabric peers (`dossier node follow`): each pulls the channel's blocks from
# its organisation's peer over TLS, as that organisation's node identity (a reader of the channel), checks them
# against the orderer organisation's CA and the consortium's endorsement rules, and cosigns the other's checkpoints.
fe2e_followers_up() {
  local dir=$RUN/fabric net=$RUN/fabric/network http i other org
  http=$(fe2e_free_base 2 0)
  local od=$net/organizations/ordererOrganizations/dossier.local
  local ordererca=("$od"/msp/cacerts/*.pem)
  for i in 1 2; do
    other=$((3 - i))
    org=$net/organizations/peerOrganizations/org$i.dossier.local
    fe2e_step "follower of Org${i}MSP's peer, HTTP API on 127.0.0.1:$((http + i - 1))"
    fe2e_spawn "$dir/logs/follower$i.log" "$JAVA" -Xmx256m -XX:+UseSerialGC -cp "$(node_cp)" dev.dossier.node.cli.Main \
      node follow --network "$net" --org "Org${i}MSP" --peer "127.0.0.1:$((FE2E_PEER_BASE + i - 1))" \
      --peer-tls-ca "$org/tlsca/tlsca.org$i.dossier.local-cert.pem" --orderer-ca "${ordererca[0]}" \
      --data "$dir/follower$i" --http-host 127.0.0.1 --http-port $((http + i - 1)) \
      --cosigner "node0.org$other.dossier.local=http://127.0.0.1:$((http + other - 1))"
    FE2E_FOLLOWER_PIDS[i]=$FE2E_LAST_PID
    FE2E_FOLLOWER_URLS[i]=http://127.0.0.1:$((http + i - 1))
  done
  for i in 1 2; do
    fe2e_wait_port $((http + i - 1)) "${FE2E_FOLLOWER_PIDS[$i]}" "follower $i" "$dir/logs/follower$i.log"
  done
}

# GET $1 into file $2 until it answers 200 (a follower catching up, a checkpoint being cosigned), at most $3 seconds.
fe2e_get_until_ok() {
  local url=$1 out=$2 seconds=$3 code
  for _ in $(seq 1 $((seconds * 2))); do
    code=$(curl -s -o "$out" -w '%{http_code}' "$url" || true)
    [[ $code == 200 ]] && return 0
    sleep 0.5
  done
  fe2e_fail "$url did not answer 200 within $seconds s (last: $code $(head -c 300 "$out" 2>/dev/null))"
}

# The Dossier node's commitment log, for the followers' to be compared with: the network is stopped, each node's
# ledger and log are audited and the first node's leaves written to $RUN/dossier/leaves.jsonl.
fe2e_dossier_leaves() {
  local nodes=$RUN/dossier/network/nodes
  run_node_cli audit --data "$nodes/node0.org1.dossier.local" --leaves "$RUN/dossier/leaves.jsonl" \
    >"$RUN/dossier/audit.txt" 2>&1 || { cat "$RUN/dossier/audit.txt" >&2; fe2e_fail "audit of the Dossier node failed"; }
}

# The receipts on Fabric, after the scenario: (a) a receipt fetched from a follower verifies offline against the
# follower's trust file; (c) `dossier audit` accepts the blocks the followers pulled from the Fabric peers; (b) the
# followers' commitment logs are equal to each other, and to the Dossier network's once normalised.
fe2e_followers_check() {
  local dir=$RUN/fabric out=$RUN/fabric/followers i
  mkdir -p "$out"
  # the last commitment anchored in the scenario (a correction): once receipts cover it, the logs are complete
  local last first
  last=$(jq -r 'select(.outcome == "ANCHORED" or .outcome == "SUPERSEDED") | .commitment' \
    "$dir/out/corrected.receipts.jsonl" | tail -n 1)
  [[ -n "$last" ]] || fe2e_fail "no anchored correction in the Fabric run's receipts"
  for i in 1 2; do
    fe2e_get_until_ok "${FE2E_FOLLOWER_URLS[$i]}/v1/receipts/$last" "$out/last$i.json" 180
  done
  fe2e_step "followers: (a) a receipt from Org1MSP's follower verifies offline against its trust file"
  # a record still valid today (sample data holds expired ones too, whose verdict is EXPIRED)
  local c today
  today=$(date -u +%F)
  first=""
  for c in $(jq -r 'select(.outcome == "ANCHORED") | .commitment' "$dir/out/bulk.receipts.jsonl"); do
    fe2e_get_until_ok "${FE2E_FOLLOWER_URLS[1]}/v1/receipts/$c" "$out/receipt.json" 30
    if [[ "$(jq -r '.entry.validUntil // ""' "$out/receipt.json")" > "$today" ]]; then first=$c; break; fi
  done
  [[ -n "$first" ]] || fe2e_fail "no record of the bulk upload is still valid today: no receipt to verify as VALID"
  jq -r .receipt "$out/receipt.json" >"$out/receipt.txt"
  cmp -s "$dir/follower1/trust.txt" "$dir/follower2/trust.txt" \
    || fe2e_fail "the followers wrote different trust files ($dir/follower{1,2}/trust.txt)"
  DOSSIER_CONFIG_DIR=$out/verifier run_client_cli verify --receipt "$out/receipt.txt" \
    --trust "$dir/follower1/trust.txt" --offline >"$out/verify.txt" 2>&1 \
    || { cat "$out/verify.txt" >&2; fe2e_fail "the follower's receipt did not verify offline against its trust file"; }
  grep -qx VALID "$out/verify.txt" || fe2e_fail "verify of the follower's receipt did not say VALID ($out/verify.txt)"
  sed 's/^/    /' "$out/verify.txt"
  curl -sf "${FE2E_FOLLOWER_URLS[2]}/v1/status/$first" >"$out/status.json" \
    || fe2e_fail "Org2MSP's follower has no status for $first"
  if $FE2E_KEEP; then
    echo "followers left running (--keep): their audit and the comparison of their logs are skipped"
    return 0
  fi
  for i in 1 2; do
    kill "${FE2E_FOLLOWER_PIDS[$i]}"
    for _ in $(seq 1 100); do kill -0 "${FE2E_FOLLOWER_PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
  done
  fe2e_step "followers: (c) dossier audit of the blocks pulled from the Fabric peers"
  for i in 1 2; do
    run_node_cli audit --data "$dir/follower$i" --leaves "$out/leaves$i.jsonl" >"$out/audit$i.txt" 2>&1 \
      || { cat "$out/audit$i.txt" >&2; fe2e_fail "dossier audit refused follower $i's blocks from the Fabric peer"; }
    sed 's/^/    /' "$out/audit$i.txt"
  done
  fe2e_step "followers: (b) their commitment logs against each other and against the Dossier network's"
  cmp -s "$out/leaves1.jsonl" "$out/leaves2.jsonl" \
    || fe2e_fail "the two followers derived different commitment logs ($out/leaves{1,2}.jsonl)"
  if [[ ! -f "$RUN/dossier/leaves.jsonl" ]]; then
    echo "followers: both derived the same commitment log of $(wc -l <"$out/leaves1.jsonl") leaves (no Dossier run" \
      "to compare it with)"
    return 0
  fi
  # Normalised: the anchoring time (each ledger's transaction timestamp, in every leaf's public entry, hence also the
  # roots differ), the order of the leaves (bulk anchoring commits its batches in whichever order they finish), and
  # the commitment of an inspector's card (`certificate` anchors one): the card is signed with the organisation's card
  # key, which each side's `network init` made anew, so the same record gives another card.
  local norm='del(.index) | .entry |= del(.anchoredAt)
    | if .entry.kind == "card" then .commitment = "<card>" | .entry.commitment = "<card>" else . end'
  jq -c "$norm" "$out/leaves1.jsonl" | sort >"$out/leaves.normalised.jsonl"
  jq -c "$norm" "$RUN/dossier/leaves.jsonl" | sort >"$RUN/dossier/leaves.normalised.jsonl"
  if ! diff -u --label "follower of Fabric" --label "Dossier network" "$out/leaves.normalised.jsonl" \
      "$RUN/dossier/leaves.normalised.jsonl" >"$out/leaves.diff"; then
    cat "$out/leaves.diff"
    fe2e_fail "the followers' commitment log differs from the Dossier network's ($out/leaves.diff)"
  fi
  echo "followers: same commitment log as the Dossier network, $(wc -l <"$out/leaves1.jsonl") leaves equal once" \
    "anchoring times, order and card commitments are set aside; receipt verified offline; audit clean on both followers"
}

# The Dossier network: two nodes of two organisations over mutual TLS, as `network up 2 --tls` starts them.
fe2e_dossier_up() {
  local port
  port=$(fe2e_free_base 2 0 1000 2000)
  fe2e_step "Dossier: network up 2 --tls on 127.0.0.1:$port and $((port + 1))"
  mkdir -p "$RUN/dossier"
  # a node's start takes longer than the launcher's usual 30 s when the machine is busy (CI builds beside it)
  DOSSIER_START_SECONDS=180 network_up 2 --dir "$RUN/dossier/network" --port "$port" --tls \
    >"$RUN/dossier/network-up.log" 2>&1 \
    || { cat "$RUN/dossier/network-up.log" >&2; fe2e_fail "the Dossier network did not start"; }
  FE2E_NET=$RUN/dossier/network
}

# Runs client command "$@" against $FE2E_NET (with --tls), appending its exit code and output to the transcript
# $FE2E_OUT/$FE2E_TRANSCRIPT. The first argument is the step's title.
fe2e_client() {
  local title=$1 rc=0
  shift
  run_client_cli "$@" --network "$FE2E_NET" --tls >"$FE2E_OUT/step.out" 2>"$FE2E_OUT/step.err" || rc=$?
  {
    echo "### $title: exit $rc"
    cat "$FE2E_OUT/step.out"
    sed 's/^/stderr: /' "$FE2E_OUT/step.err"
  } >>"$FE2E_OUT/$FE2E_TRANSCRIPT"
}

# Appends file $2 to the transcript under title $1, its lines sorted (transactions in flight together commit in
# either order).
fe2e_file() {
  { echo "### file $1"; if [[ -f "$2" ]]; then sort "$2"; else echo "(missing)"; fi; } >>"$FE2E_OUT/$FE2E_TRANSCRIPT"
}

# The commitment of the receipt of input line $2 in receipts file $1.
fe2e_commitment() { jq -r --argjson line "$2" 'select(.line == $line) | .commitment' "$1"; }

# The scenario, against $FE2E_NET, with its outputs in $FE2E_OUT (inputs in $RUN/input).
fe2e_scenario() {
  local in=$RUN/input out=$FE2E_OUT/out
  mkdir -p "$out"
  FE2E_TRANSCRIPT=transcript.txt
  : >"$FE2E_OUT/$FE2E_TRANSCRIPT"
  fe2e_client "anchor single (batch size 1)" anchor --input "$in/single.csv" --out "$out" --batch-size 1 --no-progress
  fe2e_file single.receipts.jsonl "$out/single.receipts.jsonl"
  fe2e_client "anchor batch (5 records per transaction)" anchor --input "$in/batch.csv" --out "$out" --batch-size 5 \
    --no-progress
  fe2e_client "anchor bulk with bad rows, JSON summary" anchor --input "$in/bulk.csv" --out "$out" --no-progress --json
  fe2e_file bulk.receipts.jsonl "$out/bulk.receipts.jsonl"
  fe2e_file bulk.errors.csv "$out/bulk.errors.csv"
  fe2e_client "anchor bulk again (idempotent)" anchor --input "$in/bulk.csv" --out "$out/again" --no-progress
  fe2e_file again/bulk.receipts.jsonl "$out/again/bulk.receipts.jsonl"
  local first second third
  first=$(fe2e_commitment "$out/single.receipts.jsonl" 2)
  second=$(fe2e_commitment "$out/single.receipts.jsonl" 3)
  third=$(fe2e_commitment "$out/single.receipts.jsonl" 4)
  local bulk_id
  bulk_id=$(jq -r 'select(.line == 2) | .record_id' "$out/bulk.receipts.jsonl")
  fe2e_client "verify a receipt" verify --receipt "$out/bulk.receipts.jsonl" --record-id "$bulk_id"
  fe2e_client "verify an unknown commitment" verify --hash "$(printf '0%.0s' {1..64})"
  fe2e_client "status of the bulk receipts" status --input "$out/bulk.receipts.jsonl" --json
  fe2e_client "revoke one" revoke --hash "$first" --reason fraud
  fe2e_client "revoke it again" revoke --hash "$first" --reason withdrawn
  fe2e_client "revoke a list" revoke --input "$in/revocations.csv" --receipts "$out/batch.receipts.jsonl" --out "$out" \
    --no-progress
  fe2e_file batch.revocations.jsonl "$out/revocations.revocations.jsonl"
  fe2e_file revocations.errors.csv "$out/revocations.errors.csv"
  fe2e_client "supersede: corrections" anchor --input "$in/corrected.csv" --supersedes "$out/single.receipts.jsonl" \
    --out "$out" --no-progress
  fe2e_file corrected.receipts.jsonl "$out/corrected.receipts.jsonl"
  fe2e_file corrected.errors.csv "$out/corrected.errors.csv"
  fe2e_client "verify the superseded receipt" verify --receipt "$out/single.receipts.jsonl" --record-id "$FE2E_SECOND_ID"
  fe2e_client "status of the revoked and superseded" status --hash "$first" --hash "$second" --hash "$third"
  fe2e_client "history of the superseded" history --hash "$second" --json
  fe2e_client "history of the revoked" history --hash "$first"
  fe2e_client "dossier of a worker (auditor)" dossier --fiscal-code "$FE2E_FISCAL_CODE" --json
  fe2e_client "dossier of a worker, active only" dossier --fiscal-code "$FE2E_FISCAL_CODE" --active
  fe2e_client "refused: anchor as an inspector" anchor --input "$in/single.csv" --out "$out/inspector" --user Inspector \
    --no-progress
  fe2e_file inspector/single.errors.csv "$out/inspector/single.errors.csv"
  fe2e_client "refused: revoke as a worker" revoke --hash "$third" --reason fraud --user Worker1
  fe2e_client "refused: revoke another organisation's entry" revoke --hash "$third" --reason fraud --org Org2MSP
  fe2e_client "refused: dossier as an inspector" dossier --fiscal-code "$FE2E_FISCAL_CODE" --user Inspector
  fe2e_client "refused: policy propose as an issuer" policy propose "$in/policy.json" --user Issuer
  fe2e_client "refused: history as another organisation's issuer" history --hash "$third" --org Org2MSP --user Issuer
  fe2e_client "usage: status without an argument" status

  # Where the platforms differ by design or by a known gap, the answers go to known-differences.txt: printed, not
  # compared. The role policy: a Dossier network's genesis block holds the consortium's signed first policy, a Fabric
  # channel cannot hold chaincode state at its creation, so there the built-in policy lists no organisation and
  # nobody can vote (network-config/fabric/README.md). Certificates need a Dossier node's HTTP API.
  FE2E_TRANSCRIPT=known-differences.txt
  : >"$FE2E_OUT/$FE2E_TRANSCRIPT"
  fe2e_client "policy show" policy show
  fe2e_client "policy propose (operator of Org1)" policy propose "$in/policy.json" --user Admin
  local proposed
  proposed=$(jq -r '.hash // empty' "$FE2E_OUT/step.out" 2>/dev/null || true)
  if [[ -n "$proposed" ]]; then
    fe2e_client "policy proposal" policy proposal "$proposed"
    fe2e_client "policy approve (operator of Org2): applies it" policy approve "$proposed" --org Org2MSP
    fe2e_client "policy show, after the vote" policy show
  fi
  fe2e_client "certificate of a record" certificate --input "$in/bulk.csv" --record-id "$bulk_id" \
    --receipts "$out/bulk.receipts.jsonl" --out "$out/certificate.pdf" --wait 30
  FE2E_TRANSCRIPT=transcript.txt
}

# The inputs of the scenario, made once for both runs: records from sample-data, a few corrections, a revocation
# list with one bad reason and one unknown record, a policy to propose. Sets FE2E_SECOND_ID and FE2E_FISCAL_CODE.
fe2e_inputs() {
  local in=$RUN/input
  mkdir -p "$in"
  sample_data "$in/all.csv" 20 >/dev/null
  sample_data "$in/bulk.csv" 16 --first 20 --dirty >/dev/null
  head -n 1 "$in/all.csv" >"$in/single.csv"
  sed -n '2,4p' "$in/all.csv" >>"$in/single.csv"
  head -n 1 "$in/all.csv" >"$in/batch.csv"
  sed -n '5,16p' "$in/all.csv" >>"$in/batch.csv"
  # corrections, version 2: of the first record (revoked by then: refused) and of the second
  { echo "$(head -n 1 "$in/all.csv"),version"; sed -n '2,3p' "$in/all.csv" | sed 's/$/,2/'; } >"$in/corrected.csv"
  FE2E_SECOND_ID=$(sed -n '3p' "$in/all.csv" | cut -d, -f1)
  FE2E_FISCAL_CODE=$(sed -n '2p' "$in/all.csv" | cut -d, -f2)
  {
    echo "record_id,reason"
    sed -n '5,6p' "$in/all.csv" | cut -d, -f1 | sed 's/$/,withdrawn/'
    echo "$(sed -n '7p' "$in/all.csv" | cut -d, -f1),lost"
    echo "no-such-record,fraud"
  } >"$in/revocations.csv"
  jq '.organisations = ["Org1MSP", "Org2MSP"] | .roles.inspector.dossier = "any"' "$ROOT/network-config/policy.json" >"$in/policy.json"
}

# Normalises transcript $1 into $2, given the file $3 of tokens (64 hex digits) common to both transcripts: what must
# differ between two ledgers (transaction ids, times, block numbers, durations and rates, the run's paths) becomes a
# placeholder; transaction ids are numbered in order of first appearance, so their pattern is still compared.
fe2e_normalise() {
  sed -e "s|$RUN/[a-z]*/|<run>/|g" \
    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}Z\{0,1\}/<time>/g' \
    -e 's/"\(block\|blockNumber\|block_number\)":[0-9]*/"\1":<n>/g' -e 's/"seconds":[0-9.E-]*/"seconds":<n>/g' \
    -e 's/[0-9][0-9.]* \(s\|ms\|records\/s\|rows\/s\|tx\/s\)\b/<measure> \1/g' \
    "$1" | awk -v common="$3" '
      BEGIN {
        while ((getline t < common) > 0) keep[t] = 1
        for (i = 0; i < 64; i++) hex64 = hex64 "[0-9a-f]" # no {64}: mawk, Debian'"'"'s awk, has no intervals
      }
      {
        line = ""
        while (match($0, hex64)) {
          t = substr($0, RSTART, RLENGTH)
          if (!(t in keep)) { if (!(t in seen)) seen[t] = ++n; t = "<id" seen[t] ">" }
          line = line substr($0, 1, RSTART - 1) t
          $0 = substr($0, RSTART + RLENGTH)
        }
        print line $0
      }' >"$2"
}

# Compares the two runs' transcripts; prints the differences and fails on any.
fe2e_compare() {
  local f=$RUN/fabric/transcript.txt d=$RUN/dossier/transcript.txt
  comm -12 <(grep -oE '[0-9a-f]{64}' "$f" | sort -u) <(grep -oE '[0-9a-f]{64}' "$d" | sort -u) >"$RUN/common-tokens.txt"
  fe2e_normalise "$f" "$RUN/fabric/transcript.normalised.txt" "$RUN/common-tokens.txt"
  fe2e_normalise "$d" "$RUN/dossier/transcript.normalised.txt" "$RUN/common-tokens.txt"
  fe2e_normalise "$RUN/fabric/known-differences.txt" "$RUN/fabric/known-differences.normalised.txt" "$RUN/common-tokens.txt"
  fe2e_normalise "$RUN/dossier/known-differences.txt" "$RUN/dossier/known-differences.normalised.txt" \
    "$RUN/common-tokens.txt"
  echo "known differences, not compared (the role policy of a new Fabric channel; certificates need a Dossier node):"
  diff -u --label "Fabric" --label "Dossier" "$RUN/fabric/known-differences.normalised.txt" \
    "$RUN/dossier/known-differences.normalised.txt" | sed 's/^/    /' || true
  grep -q "a Fabric peer does not serve" "$RUN/fabric/known-differences.txt" \
    || fe2e_fail "certificate against a Fabric peer did not say that a Fabric peer serves no Dossier HTTP API"
  if diff -u --label "Fabric" --label "Dossier" "$RUN/fabric/transcript.normalised.txt" \
      "$RUN/dossier/transcript.normalised.txt" >"$RUN/differences.diff"; then
    echo "no differences: $(grep -c '^### ' "$f") steps answered the same on Fabric and on Dossier" \
      "(transcripts: $RUN/{fabric,dossier}/transcript.txt)"
    return 0
  fi
  cat "$RUN/differences.diff"
  fe2e_fail "Fabric and Dossier answered differently in $(grep -c '^@@' "$RUN/differences.diff") place(s) ($RUN/differences.diff)"
}

fabric_e2e() {
  RUN=$ROOT/build/fabric-e2e
  FE2E_KEEP=false
  local only=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --dir) [[ $# -ge 2 ]] || { echo "--dir needs a value" >&2; exit 2; }; RUN=$2; shift 2 ;;
      --keep) FE2E_KEEP=true; shift ;;
      --only)
        [[ "${2:-}" == fabric || "${2:-}" == dossier ]] || { echo "--only takes fabric or dossier" >&2; exit 2; }
        only=$2; shift 2 ;;
      *) echo "unknown option: $1 (fabric-e2e [--dir DIR] [--keep] [--only fabric|dossier])" >&2; exit 2 ;;
    esac
  done
  command -v jq >/dev/null || fe2e_fail "jq is not on PATH (apt-get install jq): scripts/fabric-deploy needs it"
  mkdir -p "$RUN"
  RUN=$(cd "$RUN" && pwd)
  [[ "$only" == fabric ]] && rm -f "$RUN/dossier/leaves.jsonl" # a previous run's: nothing to compare with
  if [[ "$only" != dossier ]]; then
    fe2e_fabric_home
    echo "Fabric: $FABRIC_HOME ($("$FABRIC_HOME/bin/peer" version 2>/dev/null | sed -n 's/^ Version: //p'))"
  fi
  build
  if [[ -f "$RUN/pids" ]]; then
    fe2e_cleanup
  fi
  rm -rf "$RUN/input" "$RUN/differences.diff" "$RUN/common-tokens.txt"
  trap fe2e_cleanup EXIT
  fe2e_inputs
  # the same salt and pseudonym keys on both ledgers, so the same records give the same commitments
  mkdir -p "$RUN/keys"
  local side
  for side in dossier fabric; do
    [[ -z "$only" || "$only" == "$side" ]] || continue
    rm -rf "${RUN:?}/$side"
    "fe2e_${side}_up"
    mkdir -p "$RUN/$side/keys"
    cp "$RUN"/keys/*.key "$RUN/$side/keys/" 2>/dev/null || true
    export DOSSIER_CONFIG_DIR=$RUN/$side/keys
    FE2E_OUT=$RUN/$side
    fe2e_step "$side: the scenario"
    fe2e_scenario
    cp -n "$RUN/$side"/keys/*.key "$RUN/keys/"
    if [[ $side == fabric ]]; then fe2e_followers_check; fi
    if [[ $side == dossier ]] && ! $FE2E_KEEP; then
      network_down --dir "$RUN/dossier/network" >/dev/null
      fe2e_dossier_leaves
    fi
  done
  if [[ -n "$only" ]]; then
    echo "ran on $only only: transcript $RUN/$only/transcript.txt"
    return 0
  fi
  fe2e_step "comparing the answers"
  fe2e_compare
  if $FE2E_KEEP; then echo "left running: both networks (pids in $RUN/pids and $RUN/dossier/network/pids)"; fi
}
