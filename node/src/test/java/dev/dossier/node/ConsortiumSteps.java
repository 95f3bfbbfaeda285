package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumFiles;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.VersionedValue;
import dev.dossier.node.ordering.BlockLimits;
import dev.dossier.testing.FreePorts;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.identity.Signers;

/** Steps of the consortium membership tests: votes through a test cluster's gateways, a fourth node's catch-up. */
final class ConsortiumSteps {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsortiumSteps() {}

    /** @return the consortium of {@code consortium}'s files with {@code more} added (a joining node's files) */
    static Consortium with(Consortium consortium, Consortium.Organisation more) {
        List<Consortium.Organisation> all = new ArrayList<>(consortium.organisations());
        all.add(more);
        return new Consortium(consortium.channel(), consortium.chaincode(), all);
    }

    /**
     * Admits {@code joining} by vote: Org2's operator proposes the consortium in force with it, Org3's approves (a
     * majority of three), and asserts the change applied.
     */
    static void admitByVote(TestCluster cluster, Consortium.Organisation joining) throws Exception {
        ConsortiumDocument current = config(cluster, 0);
        List<ConsortiumDocument.Organisation> organisations = new ArrayList<>(current.organisations());
        organisations.add(ConsortiumFiles.organisation(joining, null));
        String next =
                new String(current.with(current.sequence() + 1, organisations).toJson(), UTF_8);
        proposeAndApprove(cluster, ConsortiumChanges.NAMESPACE, "", "org2", "org3", next);
    }

    /**
     * The role policy lists its member organisations too: Org1's and Org2's operators vote one that lists {@code
     * mspId} after Org3MSP, which admits its users to the notary.
     */
    static void admitToPolicy(TestCluster cluster, String mspId) throws Exception {
        String policy =
                Files.readString(cluster.policyDocument()).replace("\"Org3MSP\" ]", "\"Org3MSP\", \"" + mspId + "\" ]");
        assertThat(policy).contains(mspId);
        proposeAndApprove(cluster, "notary", "Policy", "org1", "org2", policy);
    }

    /**
     * The operator ({@code Admin}) of organisation {@code proposer} proposes {@code document} to {@code contract}
     * ({@code propose<suffix>}), the one of {@code approver} approves it by its hash; asserts that applied it.
     */
    private static void proposeAndApprove(
            TestCluster cluster, String contract, String suffix, String proposer, String approver, String document)
            throws Exception {
        String hash = call(cluster, contract, "Admin@" + proposer + ".dossier.local", "propose" + suffix, document)
                .get("hash")
                .asText();
        assertThat(call(cluster, contract, "Admin@" + approver + ".dossier.local", "approve" + suffix, hash)
                        .get("applied")
                        .asBoolean())
                .isTrue();
    }

    static ConsortiumDocument config(TestCluster cluster, int node) throws Exception {
        return ConsortiumDocument.parse(cluster.ledger(node)
                .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                .orElseThrow()
                .value());
    }

    private static JsonNode call(TestCluster cluster, String contract, String user, String function, String argument)
            throws Exception {
        return JSON.readTree(cluster.submit(user, contract, function, argument));
    }

    static String anchorAs(ManagedChannel channel, String mspId, Consortium.User user) throws Exception {
        try (Gateway gateway = TestNetwork.gateway(
                channel,
                mspId,
                TestNetwork.certificate(user.certificate()),
                Signers.newPrivateKeySigner(TestNetwork.key(user.privateKey())))) {
            TestNetwork.notary(gateway).submitTransaction("anchor", TestNetwork.newCommitment(), "record");
            return "anchored";
        } catch (GatewayException e) {
            return TestNetwork.refusal(e);
        }
    }

    /** @return a free port for a joining node, whose Raft and HTTP ports are free too */
    static int freePort() {
        return FreePorts.base(1, NodeSettings.Cluster.RAFT_PORT_OFFSET, NodeAddress.HTTP_PORT_OFFSET);
    }

    /**
     * @return the settings of a node of {@code mspId} that joins the running network ({@code --join}), from a {@code
     *     consortium.yaml} that lists it; with TLS ({@code --tls}) or told it may order in plaintext
     */
    static NodeSettings joiningNode(Consortium consortium, String mspId, Path data, boolean tls) {
        NodeSettings settings = NodeSettings.of(
                consortium,
                mspId,
                null,
                data,
                TestNetwork.chaincodeJar(),
                new BlockLimits(200, BlockLimits.DEFAULT.maxBytes(), Duration.ofMillis(20)));
        return settings.toBuilder()
                .cluster(settings.cluster()
                        .withRaftTiming(Duration.ofMillis(400), 16, 64 << 10)
                        .insecure(!tls)
                        .joining(true))
                .tls(tls ? consortium.tls(settings.name()) : null)
                .build();
    }

    /**
     * @return the consortium document {@code reference} holds, once asserted to be, with its version (the block that
     *     wrote it), the one each of the cluster's first three nodes holds
     */
    static VersionedValue assertSameDocument(TestCluster cluster, Ledger reference) {
        VersionedValue inForce = reference
                .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                .orElseThrow();
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.ledger(node)
                            .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                            .orElseThrow())
                    .as("the same document from the same block on node " + node)
                    .isEqualTo(inForce);
        }
        return inForce;
    }
}
