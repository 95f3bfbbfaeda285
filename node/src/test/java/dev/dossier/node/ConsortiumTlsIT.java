package dev.dossier.node;

import static dev.dossier.node.ConsortiumSteps.admitByVote;
import static dev.dossier.node.ConsortiumSteps.admitToPolicy;
import static dev.dossier.node.ConsortiumSteps.anchorAs;
import static dev.dossier.node.ConsortiumSteps.assertSameDocument;
import static dev.dossier.node.ConsortiumSteps.config;
import static dev.dossier.node.ConsortiumSteps.freePort;
import static dev.dossier.node.ConsortiumSteps.joiningNode;
import static dev.dossier.node.ConsortiumSteps.with;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.identity.TlsSettings;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 over {@code --tls}, with no node restarted: TLS trust follows the consortium in force on the gRPC ports
 * (gateway, endorsements, block pulls) and the Raft ports of every node.
 *
 * <ol>
 *   <li>A fourth organisation's node, whose TLS CA the consortium does not list yet, is refused at the TLS handshake
 *       on every node's gRPC and Raft port.
 *   <li>The organisation is voted in: from the block after, the same handshakes go through; its node starts with
 *       {@code --join --tls}, the Raft leader adds it, it catches up, and its issuer anchors through it.
 *   <li>A change removes that node and revokes its TLS certificate and a user's TLS client certificate: from the block
 *       after, both are refused at the handshake on every remaining node (the node on gRPC and Raft), the
 *       organisation's other certificates are not, the Raft group is back to three nodes, and the network commits.
 * </ol>
 */
class ConsortiumTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void overTls_aFourthOrganisationJoinsByVote_andCertificatesOutsideTheConsortiumInForceAreRefusedAtTheHandshake()
            throws Exception {
        try (TestCluster cluster = new TestCluster(directory, 3, true)) {
            List<X509Certificate> roots = cluster.settings.get(0).tls().rootCertificates();
            int port = freePort();
            Consortium.Organisation org4 =
                    CryptoGen.newOrganisation(directory.resolve("network"), 4, "localhost", port);
            Consortium withOrg4 = with(cluster.consortium, org4);
            TlsSettings tls4 = withOrg4.tls(org4.nodes().get(0).name());

            for (int node = 0; node < 3; node++) {
                assertRefused(cluster, node, tls4, roots, "before the vote: a TLS CA outside the consortium");
            }

            admitByVote(cluster, org4);
            for (int node = 0; node < 3; node++) {
                TlsHandshakes.handshake(grpcPort(cluster, node), tls4.keyManager(), roots);
                TlsHandshakes.handshake(raftPort(cluster, node), tls4.keyManager(), roots);
            }

            Node fourth = Node.start(joiningNode(withOrg4, "Org4MSP", directory.resolve("node3"), true));
            ManagedChannel toFourth = null;
            try {
                Set<String> four =
                        withOrg4.nodes().stream().map(Consortium.Node::name).collect(Collectors.toSet());
                awaitGroup(cluster, four);
                cluster.awaitAllCaughtUp(fourth);

                admitToPolicy(cluster, "Org4MSP");
                cluster.awaitAllCaughtUp(fourth);
                Consortium.User issuer4 = org4.user("issuer");
                toFourth = TlsSettings.channel("localhost:" + fourth.port(), tls4);
                assertThat(anchorAs(toFourth, "Org4MSP", issuer4))
                        .as("the fourth organisation's issuer anchors through its node, over TLS")
                        .isEqualTo("anchored");

                // one change removes the fourth node and revokes its TLS certificate and Org2's issuer's
                Path issuer2Tls = tlsFolder(cluster.userNamed("Issuer@org2.dossier.local"));
                Path worker2Tls = tlsFolder(cluster.userNamed("Worker1@org2.dossier.local"));
                TlsHandshakes.handshake(
                        grpcPort(cluster, 0),
                        TestNetwork.key(issuer2Tls.resolve("client.key")),
                        TestNetwork.certificate(issuer2Tls.resolve("client.crt")),
                        roots);
                ConsortiumDocument withFourth = config(cluster, 0);
                List<ConsortiumDocument.Organisation> changed = new ArrayList<>(withFourth.organisations());
                changed.set(
                        1,
                        changed.get(1)
                                .revoking(TestNetwork.certificate(issuer2Tls.resolve("client.crt"))
                                        .getSerialNumber()));
                changed.set(
                        3,
                        changed.get(3)
                                .withNodes(List.of())
                                .revoking(tls4.certificateValue().getSerialNumber()));
                String removal = cluster.vote(
                                "Admin@org1.dossier.local",
                                "propose",
                                new String(
                                        withFourth
                                                .with(withFourth.sequence() + 1, changed)
                                                .toJson(),
                                        UTF_8))
                        .get("hash")
                        .asText();
                cluster.vote("Admin@org2.dossier.local", "approve", removal);
                assertThat(cluster.vote("Admin@org3.dossier.local", "approve", removal)
                                .get("applied")
                                .asBoolean())
                        .isTrue();
                assertSameDocument(cluster, cluster.ledger(0));
                for (int node = 0; node < 3; node++) {
                    assertRefused(cluster, node, tls4, roots, "a removed node with a revoked TLS certificate");
                    int grpc = grpcPort(cluster, node);
                    assertThatThrownBy(() -> TlsHandshakes.handshake(
                                    grpc,
                                    TestNetwork.key(issuer2Tls.resolve("client.key")),
                                    TestNetwork.certificate(issuer2Tls.resolve("client.crt")),
                                    roots))
                            .as("a revoked user TLS certificate on the gRPC port of node " + node)
                            .isInstanceOf(IOException.class);
                    TlsHandshakes.handshake(
                            grpc,
                            TestNetwork.key(worker2Tls.resolve("client.key")),
                            TestNetwork.certificate(worker2Tls.resolve("client.crt")),
                            roots);
                }
                awaitGroup(
                        cluster,
                        Set.of(
                                cluster.settings.get(0).name(),
                                cluster.settings.get(1).name(),
                                cluster.settings.get(2).name()));
                assertThat(anchorAs(cluster.channel(0), "Org1MSP", cluster.userNamed("Issuer@org1.dossier.local")))
                        .as("the three nodes left commit")
                        .isEqualTo("anchored");
            } finally {
                if (toFourth != null) {
                    toFourth.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                fourth.close();
            }
        }
    }

    /** Node {@code node} refuses the handshake of {@code tls}'s certificate on its gRPC port and on its Raft port. */
    private static void assertRefused(
            TestCluster cluster, int node, TlsSettings tls, List<X509Certificate> roots, String why) {
        for (int port : new int[] {grpcPort(cluster, node), raftPort(cluster, node)}) {
            assertThatThrownBy(() -> TlsHandshakes.handshake(port, tls.keyManager(), roots))
                    .as(why + ": port " + port + " of node " + node)
                    .isInstanceOf(IOException.class);
        }
    }

    private static int grpcPort(TestCluster cluster, int node) {
        return cluster.settings.get(node).port();
    }

    private static int raftPort(TestCluster cluster, int node) {
        return cluster.settings.get(node).cluster().me().raftPort();
    }

    private static Path tlsFolder(Consortium.User user) {
        return user.certificate().getParent().getParent().resolveSibling("tls");
    }

    /** Waits until the Raft leader among the first three nodes has exactly {@code names} in its group. */
    private static void awaitGroup(TestCluster cluster, Set<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<String> last = Set.of();
        while (System.nanoTime() < deadline) {
            for (int node = 0; node < 3; node++) {
                if (cluster.raft(node).isLeader()) {
                    last = cluster.raft(node).groupMembers().orElse(Set.of());
                    if (last.equals(names)) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the Raft group is " + last + ", not " + names);
    }
}
