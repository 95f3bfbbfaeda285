package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.node.ordering.OrderedBatch;
import dev.dossier.node.ordering.RaftInjector;
import dev.dossier.node.ordering.RaftPosition;
import dev.dossier.node.ordering.RaftSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, item 1, replayed through real nodes on loopback: whoever reaches a Raft port tries to write to the
 * ordering log, and a node of the consortium writes poison entries to it.
 *
 * <ul>
 *   <li>With {@code --tls}, a plain Ratis client using the public group id is refused (it cannot even speak to the
 *       port), and so is a client presenting a user's TLS certificate (a worker's, issued by the consortium's TLS CA):
 *       the Raft port accepts the consortium's nodes only. The network commits afterwards.
 *   <li>A node's own identity can write entries (it is a Raft client): undecodable bytes, a cut time that overflows,
 *       out of range or far behind the last block's, a batch without transactions all make no block, on every node;
 *       every node stays up and healthy, keeps committing, replays them after a restart, and all ledgers agree.
 *   <li>With {@code --insecure} the Raft port is open to whoever reaches the node's configured address (that is what
 *       the flag says): what still holds is that Raft listens on that address only, and that the ordering rules bind
 *       what an outsider writes (the 2000-01-01 batch is refused). Without {@code --insecure} such a node does not
 *       start at all.
 *   <li>A node whose ordering stops (its ledger fails under it) says so: {@code /healthz} 503, {@code dossier_healthy
 *       0}, {@code dossier_ordering_failed 1}; the poison of issue 11 once stopped every node while they said ok.
 * </ul>
 */
class OrderingAttackIT {
    private static final String CHANNEL = "dossier";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void tlsNetwork_refusesPlainRaftClientsAndUserCertificates_andPoisonEntriesFromANodeAreHarmless(
            @TempDir Path directory) throws Exception {
        try (TestCluster cluster = new TestCluster(directory, 3, true)) {
            cluster.awaitLeader();
            anchorThrough(cluster, 0);
            long height = cluster.awaitSameHeight(2, WAIT);
            List<RaftSettings.Member> members = members(cluster);

            // (a) a plain Ratis client with the public group id: the TLS port does not speak to it
            try (RaftInjector outsider = RaftInjector.plaintext(CHANNEL, members)) {
                assertThatThrownBy(() -> outsider.send(garbageBatch(Instant.now())))
                        .isInstanceOf(IOException.class)
                        .hasStackTraceContaining("UNAVAILABLE");
            }
            // (b) a worker's TLS certificate, issued by the consortium's TLS CA, trusted by the server's CA list
            Consortium.User worker = cluster.user(0, "worker");
            Path workerTls = worker.certificate().getParent().getParent().resolveSibling("tls");
            TlsSettings nodeTls = cluster.settings.get(0).tls();
            try (RaftInjector user = RaftInjector.withCertificate(
                    CHANNEL,
                    members,
                    TestNetwork.key(workerTls.resolve("client.key")),
                    TestNetwork.certificate(workerTls.resolve("client.crt")),
                    nodeTls.rootCertificates())) {
                assertThatThrownBy(() -> user.send(garbageBatch(Instant.now()))).isInstanceOf(IOException.class);
            }
            int raftPort = cluster.settings.get(0).cluster().me().raftPort();
            assertThatThrownBy(() -> TlsHandshakes.handshake(
                            raftPort,
                            TestNetwork.key(workerTls.resolve("client.key")),
                            TestNetwork.certificate(workerTls.resolve("client.crt")),
                            nodeTls.rootCertificates()))
                    .as("the Raft port ends the TLS handshake of a user certificate")
                    .isInstanceOf(SSLException.class);
            TlsHandshakes.handshake(
                    raftPort,
                    nodeTls.privateKeyValue(),
                    nodeTls.certificateValue(),
                    nodeTls.rootCertificates()); // a node's certificate: the same handshake goes through
            assertThat(heights(cluster)).as("nothing was written").containsOnly(height);

            // (c) a node's own identity writes entries: first one the rules admit, with a cut time a little behind
            try (RaftInjector node = RaftInjector.asNode(CHANNEL, members, nodeTls)) {
                Instant previous = cluster.raft(0).lastCutAt().orElseThrow();
                assertThat(node.send(garbageBatch(previous.minusSeconds(30)))).isEmpty();
                height = cluster.awaitSameHeight(height + 1, WAIT);
                for (int i = 0; i < 3; i++) {
                    Block block = cluster.ledger(i).block(height - 1).orElseThrow();
                    assertThat(RaftPosition.of(block).orElseThrow().cutAt())
                            .as("the block takes the previous block's cut time: cut times never go backwards")
                            .isEqualTo(previous);
                    assertThat(block.getMetadata()
                                    .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                                    .byteAt(0))
                            .as("its garbage envelope is an invalid transaction")
                            .isEqualTo((byte) TxValidationCode.BAD_PAYLOAD_VALUE);
                }

                // then poison: none makes a block, none stops a node
                Map<String, ByteString> poison = poison(previous);
                for (Map.Entry<String, ByteString> entry : poison.entrySet()) {
                    assertThat(node.send(entry.getValue())).as(entry.getKey()).startsWith("refused: ");
                }
            }
            assertAllHealthy(cluster, height, 5);

            // every node restarts and applies the same entries again: refused again, nothing else
            for (int i = 0; i < 3; i++) {
                cluster.stop(i);
            }
            for (int i = 0; i < 3; i++) {
                cluster.start(i);
            }
            cluster.awaitLeader();
            assertAllHealthy(cluster, height, 5);

            // and the network keeps committing, through every node
            for (int i = 0; i < 3; i++) {
                anchorThrough(cluster, i);
            }
            cluster.awaitSameHeight(height + 1, WAIT);
            assertHealthy(cluster);
        }
        assertAuditClean(directory);
    }

    @Test
    void insecureNetwork_raftListensOnTheConfiguredAddressOnly_outsidersAreBoundByTheRules_andAStopIsReported(
            @TempDir Path directory) throws Exception {
        try (TestCluster cluster = new TestCluster(directory, 3)) {
            cluster.awaitLeader();
            anchorThrough(cluster, 1);
            long height = cluster.awaitSameHeight(2, WAIT);
            for (int i = 0; i < 3; i++) {
                NodeSettings.ClusterNode me = cluster.settings.get(i).cluster().me();
                assertThat(me.host()).isEqualTo("localhost");
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(me.host(), me.raftPort()), 2_000); // the configured address
                }
                for (InetAddress other : otherAddresses()) {
                    assertThatThrownBy(() -> {
                                try (Socket socket = new Socket()) {
                                    socket.connect(new InetSocketAddress(other, me.raftPort()), 2_000);
                                }
                            })
                            .as("Raft port %d of node %d on %s", me.raftPort(), i, other)
                            .isInstanceOf(ConnectException.class);
                }
            }

            // the demonstrated attack: a plain client's batch cut on 2000-01-01 makes no block
            try (RaftInjector outsider = RaftInjector.plaintext(CHANNEL, members(cluster))) {
                assertThat(outsider.send(garbageBatch(Instant.parse("2000-01-01T00:00:00Z"))))
                        .startsWith("refused: cut time 2000-01-01T00:00:00Z is earlier than the previous block's");
            }
            assertAllHealthy(cluster, height, 1);
            anchorThrough(cluster, 2);
            height = cluster.awaitSameHeight(height + 1, WAIT);

            // a state machine that stops is reported (it once died on a poison entry while /healthz said ok): node
            // 2's ledger fails under it, the others go on
            cluster.ledger(2).close();
            anchorThrough(cluster, 0);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (cluster.nodes[2].healthy() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(cluster.nodes[2].healthy()).isFalse();
            assertThat(cluster.nodes[2].context().orderingFailed()).isTrue();
            assertThat(get(cluster.nodes[2], "/healthz").statusCode()).isEqualTo(503);
            assertThat(get(cluster.nodes[2], "/metrics").body())
                    .contains("dossier_healthy 0.0", "dossier_ordering_failed 1.0");
            for (int i = 0; i < 2; i++) {
                while (cluster.nodes[i].height() <= height && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(cluster.nodes[i].height()).isEqualTo(height + 1);
                assertThat(cluster.nodes[i].healthy()).isTrue();
                assertThat(get(cluster.nodes[i], "/healthz").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void nodeOfSeveral_withoutTlsOrInsecure_refusesToStart(@TempDir Path directory) throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 2, CHANNEL, "notary", 7051);
        NodeSettings settings = NodeSettings.of(
                consortium,
                "Org1MSP",
                null,
                directory.resolve("node"),
                TestNetwork.chaincodeJar(),
                BlockLimits.DEFAULT);

        assertThatThrownBy(() -> Node.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--tls")
                .hasMessageContaining("--insecure")
                .hasMessageContaining("could write to the ordering log");
        assertThat(directory.resolve("node")).doesNotExist();
    }

    /** Entries a node could write, each refused by the ordering rules, by what it shows. */
    private static Map<String, ByteString> poison(Instant previous) {
        Map<String, ByteString> poison = new LinkedHashMap<>();
        poison.put("undecodable bytes", ByteString.copyFromUtf8("not an ordered batch"));
        poison.put("cut time overflowing Instant", raw(Long.MAX_VALUE, 1_500_000_000, true));
        poison.put(
                "cut time beyond year 9999",
                raw(Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond(), 0, true));
        poison.put("cut time going backwards", garbageBatch(previous.minus(Duration.ofDays(1))));
        poison.put("no transaction", raw(previous.getEpochSecond() + 1, 0, false));
        return poison;
    }

    /** A batch of one envelope that does not decode (a transaction marked BAD_PAYLOAD if the batch is admitted). */
    private static ByteString garbageBatch(Instant cutAt) {
        return new OrderedBatch(cutAt, List.of(ByteString.copyFromUtf8("garbage envelope"))).encode();
    }

    /** A version-1 entry with any seconds and nanoseconds. */
    private static ByteString raw(long seconds, int nanos, boolean withEnvelope) {
        ByteBuffer prefix =
                ByteBuffer.allocate(13).put((byte) 1).putLong(seconds).putInt(nanos);
        BlockData.Builder data = BlockData.newBuilder();
        if (withEnvelope) {
            data.addData(ByteString.copyFromUtf8("garbage envelope"));
        }
        return ByteString.copyFrom(prefix.array()).concat(data.build().toByteString());
    }

    private static List<RaftSettings.Member> members(TestCluster cluster) {
        List<RaftSettings.Member> members = new ArrayList<>();
        for (NodeSettings.ClusterNode node : cluster.settings.get(0).cluster().nodes()) {
            members.add(new RaftSettings.Member(node.name(), node.host(), node.raftPort(), node.tlsCertificate()));
        }
        return members;
    }

    private static void anchorThrough(TestCluster cluster, int node) throws Exception {
        try (Gateway gateway = cluster.gateway(node, "issuer", node)) {
            notary(gateway).submitTransaction("anchor", newCommitment(), "record");
        }
    }

    private static List<Long> heights(TestCluster cluster) {
        List<Long> heights = new ArrayList<>();
        for (Node node : cluster.nodes) {
            heights.add(node.height());
        }
        return heights;
    }

    /**
     * Every node is up and healthy, at {@code height}, and its ordering rules refused {@code refused} entries since it
     * started (a node applies the entries of its log once a leader of the current term commits).
     */
    private static void assertAllHealthy(TestCluster cluster, long height, long refused) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int i = 0; i < 3; i++) {
            while (cluster.raft(i).rejectedEntries() < refused && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        cluster.awaitSameHeight(height, WAIT);
        assertThat(heights(cluster)).containsOnly(height);
        for (int i = 0; i < 3; i++) {
            assertThat(cluster.raft(i).rejectedEntries())
                    .as("entries node %d refused since it started", i)
                    .isEqualTo(refused);
            assertThat(metrics(cluster.nodes[i])).contains("dossier_raft_entries_refused " + (double) refused);
        }
        assertHealthy(cluster);
    }

    private static void assertHealthy(TestCluster cluster) throws Exception {
        for (int i = 0; i < 3; i++) {
            Node node = cluster.nodes[i];
            assertThat(node.healthy()).as("node %d healthy", i).isTrue();
            assertThat(get(node, "/healthz").statusCode())
                    .as("node %d /healthz", i)
                    .isEqualTo(200);
            String metrics = metrics(node);
            assertThat(metrics)
                    .contains("dossier_healthy 1.0", "dossier_ordering_failed 0.0")
                    .containsPattern("(?m)^dossier_raft_leader [01]\\.0$")
                    .containsPattern("(?m)^dossier_raft_term [1-9]")
                    .containsPattern("(?m)^dossier_raft_commit_index [1-9]")
                    .containsPattern("(?m)^dossier_raft_follower_lag_entries ");
            Promtool.check(metrics);
        }
    }

    private static String metrics(Node node) throws Exception {
        return get(node, "/metrics").body();
    }

    private static HttpResponse<String> get(Node node, String path) throws Exception {
        return TestCluster.httpGet(node, path);
    }

    private static void assertAuditClean(Path directory) throws Exception {
        // the cluster is closed: audit the three ledgers it left
        Consortium consortium = Consortium.load(directory.resolve("network").resolve("consortium.yaml"));
        Map<String, Path> ledgers = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            ledgers.put(
                    consortium.nodes().get(i).name(),
                    directory.resolve("node" + i).resolve("ledger"));
        }
        NetworkAudit.Report report = NetworkAudit.audit(
                NodeSettings.Cluster.of(consortium, consortium.nodes().get(0).name()),
                new IdentityValidator(consortium.msps()),
                ledgers);
        assertThat(report.lines()).anyMatch(line -> line.contains("identical on all 3 nodes"));
        assertThat(report.clean()).as(String.join("\n", report.lines())).isTrue();
    }

    /** Addresses of this machine other than the configured one: 127.0.0.2 (loopback), and every non-loopback IPv4. */
    private static List<InetAddress> otherAddresses() throws Exception {
        List<InetAddress> out = new ArrayList<>();
        out.add(InetAddress.getByName("127.0.0.2"));
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp() && !network.isLoopback()) {
                network.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(out::add);
            }
        }
        return out;
    }
}
