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

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.VersionedValue;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Signers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's test of consortium changes by vote, with no node restarted: a three-organisation network under a
 * steady upload admits a fourth organisation by vote; its node joins (the Raft leader adds it once it answers),
 * catches up, and its issuer anchors through it; then a revocation by vote is in force on all four nodes from the
 * same block. The network is then stopped and audited: every node's hash chain and world state re-derived, the same
 * blocks everywhere, every acknowledged commitment on every node, the same commitment log.
 */
class ConsortiumMembershipIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void fourthOrganisationJoinsByVote_anchors_andARevocationByVoteHoldsOnEveryNodeAtOnce() throws Exception {
        try (TestCluster cluster = new TestCluster(directory, 3)) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean uploading = new AtomicBoolean(true);
            Thread upload = new Thread(() -> upload(cluster, uploading, acknowledged), "upload");
            upload.start();
            Node fourth = null;
            ManagedChannel toFourth = null;
            NodeSettings settings = null;
            Consortium withOrg4 = null;
            try {
                // the fourth organisation makes its own material and hands its entry to a member's operator
                int port = freePort();
                Consortium.Organisation org4 =
                        CryptoGen.newOrganisation(directory.resolve("network"), 4, "localhost", port);
                admitByVote(cluster, org4);

                // its node starts with --join from a consortium.yaml that lists it, and is added by the leader
                withOrg4 = with(cluster.consortium, org4);
                settings = joiningNode(withOrg4, "Org4MSP", directory.resolve("node3"), false);
                fourth = Node.start(settings);
                toFourth = NettyChannelBuilder.forAddress("localhost", fourth.port())
                        .usePlaintext()
                        .build();
                cluster.awaitAllCaughtUp(fourth);

                admitToPolicy(cluster, "Org4MSP");
                cluster.awaitAllCaughtUp(fourth);

                Consortium.User issuer = org4.user("issuer");
                String commitment = TestNetwork.newCommitment();
                try (Gateway gateway = TestNetwork.gateway(
                        toFourth,
                        "Org4MSP",
                        TestNetwork.certificate(issuer.certificate()),
                        Signers.newPrivateKeySigner(TestNetwork.key(issuer.privateKey())))) {
                    TestNetwork.notary(gateway).submitTransaction("anchor", commitment, "record");
                }
                acknowledged.add(commitment);
                cluster.awaitAllCaughtUp(fourth);
                // the node voted in is a cosigner: every node pins its key, 3 of the 4 nodes must sign, and its own
                // checkpoints, which carry its signature, are cosigned by enough of the others
                TrustFile trust = TrustFile.parse(
                        TestCluster.httpGet(cluster.nodes[0], "/v1/keys").body());
                assertThat(trust.keys()).extracting(NoteVerifier.Key::name).contains(settings.name());
                assertThat(trust.cosigners()).isEqualTo(3);
                SignedNote fourthsCheckpoint = TestCluster.awaitCheckpoint(
                        fourth, fourth.commitmentLog().size());
                assertThat(trust.verifier().verify(fourthsCheckpoint))
                        .contains(settings.name())
                        .hasSizeGreaterThanOrEqualTo(3);
                assertThat(new String(
                                fourth.ledger()
                                        .get("notary", commitment)
                                        .orElseThrow()
                                        .value(),
                                UTF_8))
                        .contains("\"mspId\":\"Org4MSP\"");

                // a revocation by vote: three of the four organisations
                ConsortiumDocument four = config(cluster, 0);
                Consortium.User employer = cluster.userNamed("Employer@org2.dossier.local");
                List<ConsortiumDocument.Organisation> revoking = new ArrayList<>(four.organisations());
                revoking.set(
                        1,
                        revoking.get(1)
                                .revoking(TestNetwork.certificate(employer.certificate())
                                        .getSerialNumber()));
                String hash = cluster.vote(
                                "Admin@org1.dossier.local",
                                "propose",
                                new String(
                                        four.with(four.sequence() + 1, revoking).toJson(), UTF_8))
                        .get("hash")
                        .asText();
                assertThat(cluster.vote("Admin@org2.dossier.local", "approve", hash)
                                .get("applied")
                                .asBoolean())
                        .as("two of four are no majority")
                        .isFalse();
                assertThat(cluster.vote("Admin@org3.dossier.local", "approve", hash)
                                .get("applied")
                                .asBoolean())
                        .isTrue();
                cluster.awaitAllCaughtUp(fourth);
                VersionedValue inForce = assertSameDocument(cluster, fourth.ledger());
                assertThat(ConsortiumDocument.parse(inForce.value()).sequence()).isEqualTo(2);
                for (ManagedChannel channel : List.of(cluster.channel(0), cluster.channel(1), toFourth)) {
                    assertThat(anchorAs(channel, "Org2MSP", employer)).contains("revoked");
                }
            } finally {
                uploading.set(false);
                upload.join();
                if (toFourth != null) {
                    toFourth.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            assertThat(acknowledged).hasSizeGreaterThan(10);
            cluster.awaitAllCaughtUp(fourth);
            for (String commitment : acknowledged) {
                for (int node = 0; node < 3; node++) {
                    assertThat(cluster.ledger(node).get("notary", commitment)).isPresent();
                }
                assertThat(fourth.ledger().get("notary", commitment)).isPresent();
            }
            for (int node = 0; node < 3; node++) {
                assertThat(cluster.nodes[node].commitmentLog().size())
                        .isEqualTo(fourth.commitmentLog().size());
            }
            NodeSettings.Cluster fourNodes = settings.cluster();
            fourth.close();
            cluster.close();
            Map<String, Path> ledgers = new LinkedHashMap<>();
            for (int i = 0; i < 4; i++) {
                ledgers.put(
                        fourNodes.nodes().get(i).name(),
                        directory.resolve("node" + i).resolve("ledger"));
            }
            NetworkAudit.Report report = NetworkAudit.audit(fourNodes, new IdentityValidator(withOrg4.msps()), ledgers);
            assertThat(report.lines()).anyMatch(line -> line.contains("identical on all 4 nodes"));
            assertThat(report.clean()).as(String.join("\n", report.lines())).isTrue();
        }
    }

    // ---- helpers

    /** Org1's issuer anchors one commitment after another until told to stop; the committed ones are kept. */
    private static void upload(TestCluster cluster, AtomicBoolean uploading, Set<String> acknowledged) {
        try (Gateway gateway = cluster.gatewayOf("Issuer@org1.dossier.local")) {
            while (uploading.get()) {
                String commitment = TestNetwork.newCommitment();
                try {
                    TestNetwork.notary(gateway).submitTransaction("anchor", commitment, "record");
                    acknowledged.add(commitment);
                } catch (GatewayException e) {
                    // a conflict with a consortium change's block: the next one goes on
                }
            }
        } catch (Exception e) {
            throw new AssertionError("upload failed", e);
        }
    }
}
