package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.node.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A node says what it waits for: {@code /healthz} and {@code /metrics} give its Raft role, the leader it knows, its term,
 * commit and applied indices, what is queued and how long its oldest uncommitted transaction has waited; {@code
 * dossier network status} prints them for every node.
 */
class WaitingStatusIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void healthAndMetrics_sayWhatEachNodeWaitsFor() throws Exception {
        // an election timeout of 2 s: the settled state is read node by node, and read again until the nodes agree
        // should a loaded host elect meanwhile
        try (TestCluster cluster = new TestCluster(dir, 3, false, Duration.ofSeconds(2), 16)) {
            cluster.awaitLeader();
            try (Gateway gateway = cluster.gateway(0, "issuer", 0)) {
                notary(gateway).submitTransaction("anchor", newCommitment(), "record");
            }
            cluster.awaitSameHeight(2, Duration.ofSeconds(30));

            // settled: one leader that every node names, one term, everything applied, nothing waiting
            List<JsonNode> settled = awaitSettled(cluster);
            String leaderName = settled.get(0).path("leader").asText();
            int leader = -1;
            for (int i = 0; i < 3; i++) {
                if (cluster.settings.get(i).name().equals(leaderName)) {
                    leader = i;
                }
            }
            assertThat(leader)
                    .as("the leader named, %s, is one of the nodes", leaderName)
                    .isNotNegative();
            for (int i = 0; i < 3; i++) {
                JsonNode ordering = settled.get(i);
                assertThat(ordering.path("role").asText()).isEqualTo(i == leader ? "leader" : "follower");
                assertThat(ordering.path("term").asLong()).isPositive();
                assertThat(ordering.path("queued_transactions").asInt()).isZero();
                assertThat(ordering.path("batches_in_flight").asInt()).isZero();
                assertThat(ordering.path("uncommitted_transactions").asInt()).isZero();
                assertThat(ordering.path("oldest_uncommitted_seconds").asDouble())
                        .isZero();
            }

            StringWriter table = new StringWriter();
            CommandLine command = Main.commandLine().setOut(new PrintWriter(table));
            int exit = command.execute(
                    "network", "status", "--network", dir.resolve("network").toString());
            assertThat(exit).as(table.toString()).isZero();
            List<String> lines = table.toString().lines().toList();
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).startsWith("node").contains("role", "leader", "term", "uncommitted", "oldest");
            for (int i = 0; i < 3; i++) {
                String name = cluster.settings.get(i).name();
                assertThat(lines.get(i + 1))
                        .startsWith(name)
                        .contains(" ok ", i == leader ? " leader " : " follower ", " " + leaderName + " ");
            }

            // no majority: node 0 accepts a transaction it cannot get ordered, and says so while it waits
            int alone = (leader + 1) % 3;
            for (int i = 0; i < 3; i++) {
                if (i != alone) {
                    cluster.stop(i);
                }
            }
            try (Gateway gateway = cluster.gateway(alone, "issuer", alone)) {
                notary(gateway)
                        .newProposal("anchor")
                        .addArguments(newCommitment(), "record")
                        .build()
                        .endorse()
                        .submitAsync();
                JsonNode ordering = awaitWaiting(cluster.nodes[alone], 2.0);
                assertThat(ordering.path("role").asText()).isIn("follower", "candidate");
                assertThat(ordering.path("uncommitted_transactions").asInt()).isEqualTo(1);
                assertThat(ordering.path("batches_in_flight").asInt()).isEqualTo(1);
                assertThat(ordering.path("oldest_uncommitted_seconds").asDouble())
                        .isGreaterThanOrEqualTo(2.0);
                String metrics = get(cluster.nodes[alone], "/metrics").body();
                assertThat(metrics)
                        .contains("dossier_ordering_uncommitted_transactions 1")
                        .contains("dossier_ordering_batches_in_flight 1")
                        .containsPattern("dossier_ordering_oldest_uncommitted_seconds ([2-9]|[1-9][0-9]+)\\.");

                StringWriter down = new StringWriter();
                int exitDown = Main.commandLine()
                        .setOut(new PrintWriter(down))
                        .execute(
                                "network",
                                "status",
                                "--network",
                                dir.resolve("network").toString());
                assertThat(exitDown).as("a node is unreachable").isEqualTo(1);
                assertThat(down.toString()).contains("unreachable: http://");
            }
        }
    }

    /**
     * @return the node's {@code ordering} once its oldest uncommitted transaction has waited {@code seconds}, with its
     *     batch handed to Raft (on a loaded host the batch may be cut and sent later than the submission returns)
     */
    private static JsonNode awaitWaiting(Node node, double seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode ordering = JSON.readTree(get(node, "/healthz").body()).path("ordering");
            if ((ordering.path("oldest_uncommitted_seconds").asDouble() >= seconds
                            && ordering.path("batches_in_flight").asInt() >= 1)
                    || System.nanoTime() > deadline) {
                return ordering;
            }
            Thread.sleep(100);
        }
    }

    /**
     * @return the three nodes' {@code ordering}, read once they agree: each applied, all naming one leader in one
     *     term, which calls itself leader (a stalled host may elect again while the nodes are read one by one: they are
     *     read again until they agree)
     */
    private static List<JsonNode> awaitSettled(TestCluster cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<JsonNode> orderings = new ArrayList<>();
            for (Node node : cluster.nodes) {
                orderings.add(awaitApplied(node));
            }
            JsonNode first = orderings.get(0);
            boolean agree = orderings.stream()
                            .allMatch(o -> o.path("leader").equals(first.path("leader"))
                                    && o.path("term").equals(first.path("term")))
                    && orderings.stream()
                                    .filter(o -> o.path("role").asText().equals("leader"))
                                    .count()
                            == 1;
            if (agree) {
                return orderings;
            }
            assertThat(System.nanoTime())
                    .as("the nodes agree on one leader and term: %s", orderings)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** @return the node's {@code ordering} once its applied index reached its commit index */
    private static JsonNode awaitApplied(Node node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode health = JSON.readTree(get(node, "/healthz").body());
            JsonNode ordering = health.path("ordering");
            if (ordering.path("applied_index").asLong()
                            == ordering.path("commit_index").asLong()
                    && !ordering.path("leader").isNull()) {
                assertThat(health.path("status").asText()).isEqualTo("ok");
                return ordering;
            }
            assertThat(System.nanoTime())
                    .as("applied index reaches the commit index")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> get(Node node, String path) throws Exception {
        return TestCluster.httpGet(node, path);
    }
}
