package dev.dossier.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.ordering.BlockLimits;
import io.grpc.ManagedChannel;
import java.net.ServerSocket;
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

    static List<Consortium.Organisation> append(
            List<Consortium.Organisation> organisations, Consortium.Organisation more) {
        List<Consortium.Organisation> all = new ArrayList<>(organisations);
        all.add(more);
        return all;
    }

    static ConsortiumDocument config(TestCluster cluster, int node) throws Exception {
        return ConsortiumDocument.parse(cluster.ledger(node)
                .get(ConsortiumChanges.NAMESPACE, ConsortiumChanges.CONFIG_KEY)
                .orElseThrow()
                .value());
    }

    static JsonNode vote(TestCluster cluster, String user, String function, String argument) throws Exception {
        try (Gateway gateway = cluster.gatewayOf(user)) {
            JsonNode answer = JSON.readTree(gateway.getNetwork("dossier")
                    .getContract(ConsortiumChanges.NAMESPACE)
                    .submitTransaction(function, argument));
            cluster.awaitSameHeight(1, Duration.ofSeconds(30)); // the next voter's node has the vote
            return answer;
        }
    }

    static JsonNode notaryCall(TestCluster cluster, String user, String function, String argument) throws Exception {
        try (Gateway gateway = cluster.gatewayOf(user)) {
            JsonNode answer = JSON.readTree(TestNetwork.notary(gateway).submitTransaction(function, argument));
            cluster.awaitSameHeight(1, Duration.ofSeconds(30));
            return answer;
        }
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

    static void awaitCaughtUp(TestCluster cluster, Node fourth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long height = cluster.nodes[0].height();
            if (fourth.height() >= height
                    && cluster.nodes[1].height() == height
                    && cluster.nodes[2].height() == height) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "the fourth node is at " + fourth.height() + ", the others at " + cluster.nodes[0].height());
    }

    /** @return a port from {@code from} on whose Raft (+1000) and HTTP (+2000) ports are free too */
    static int freePort(int from) throws Exception {
        for (int port = from; port < from + 200; port++) {
            if (free(port) && free(port + 1000) && free(port + 2000)) {
                return port;
            }
        }
        throw new AssertionError("no free port from " + from);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
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
}
