package dev.dossier.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.node.config.Consortium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dossier network status}: asks every node of a consortium for its {@code /healthz} and prints a table of what
 * each waits for (Raft role, leader, term, commit and applied indices, queues, the oldest uncommitted transaction).
 */
@Command(
        name = "status",
        description = "Show every node of a consortium: health, height, Raft role, leader, term, commit and applied"
                + " indices, the leader's follower lag, queued transactions, batches in flight, uncommitted"
                + " transactions and the oldest one's age (from each node's /healthz, at its gateway port + "
                + NodeAddress.HTTP_PORT_OFFSET + "). Exits with 1 if a node is unreachable or unhealthy.")
final class NetworkStatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most of a node's answer read: a /healthz body is a few hundred bytes. */
    private static final int MAX_BODY = 64 * 1024;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--network", required = true, description = "consortium directory (with consortium.yaml)")
    Path network;

    @Option(
            names = "--timeout-ms",
            defaultValue = "3000",
            description = "how long to wait for each node (default ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Override
    public Integer call() throws Exception {
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("--timeout-ms must be positive, not " + timeoutMillis);
        }
        Consortium consortium = Consortium.load(network.resolve("consortium.yaml"));
        Duration timeout = Duration.ofMillis(timeoutMillis);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        StatusTable table = new StatusTable();
        boolean allOk = true;
        for (Consortium.Organisation organisation : consortium.organisations()) {
            for (Consortium.Node node : organisation.nodes()) {
                URI url = NodeAddress.httpUrl(node.host() + ":" + node.port()).resolve("/healthz");
                try {
                    JsonNode health = fetch(http, url, timeout);
                    table.add(node.name(), health);
                    allOk &= "ok".equals(health.path("status").asText());
                } catch (IOException e) {
                    table.addUnreachable(node.name(), url + ": " + reason(e));
                    allOk = false;
                }
            }
        }
        spec.commandLine().getOut().print(table.format());
        spec.commandLine().getOut().flush();
        return allOk ? 0 : 1;
    }

    /** @return the node's /healthz answer (200, or 503 from a node that cannot commit) */
    private static JsonNode fetch(HttpClient http, URI url, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new IOException("HTTP " + response.statusCode());
        }
        byte[] body = response.body();
        if (body.length > MAX_BODY) {
            throw new IOException("answer of " + body.length + " bytes, not a /healthz answer");
        }
        try {
            JsonNode health = JSON.readTree(body);
            if (health == null || !health.isObject()) {
                throw new IOException("answer is not a JSON object");
            }
            return health;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
