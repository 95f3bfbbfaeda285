package dev.dossier.node;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's {@code /metrics} after a record went through the gateway and the HTTP API answered: Prometheus' linter
 * accepts the scrape ({@link Promtool}), and it holds the JVM's, gRPC's (server, and client through the HTTP API's
 * custodial gateway) and the node's own series, under the names operators' alerts use.
 */
class MetricsIT {
    private static final String EMPLOYER = "Employer@org1.dossier.local";
    private static final String SUBJECT = "ab".repeat(32);

    @TempDir
    Path directory;

    @Test
    void metrics_passPromtool_andHoldJvmGrpcLedgerAndNodeSeries() throws Exception {
        try (TestNetwork network = new TestNetwork(directory, List.of(EMPLOYER))) {
            try (Gateway gateway = network.gateway("issuer")) {
                notary(gateway).submitTransaction("anchor", newCommitment(), "record");
            }
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            String base = "http://localhost:" + network.node.httpPort();
            // a dossier read through the custodial gateway: the node's own gRPC client calls its gateway
            HttpResponse<String> dossier = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/dossier/" + SUBJECT))
                            .header("Authorization", "Bearer " + network.apiTokens.get(EMPLOYER))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            String text = response.body();
            Promtool.check(text);
            assertThat(text)
                    .as("dossier read answered %d: %s", dossier.statusCode(), dossier.body())
                    .containsPattern("(?m)^dossier_healthy 1(\\.0)?$")
                    .containsPattern("(?m)^dossier_ordering_failed 0(\\.0)?$")
                    .containsPattern("(?m)^dossier_ledger_height [1-9]")
                    .containsPattern("(?m)^dossier_log_size [1-9]")
                    .contains("# TYPE dossier_http_requests_total counter")
                    .containsPattern("(?m)^dossier_http_connections_open ")
                    .containsPattern("(?m)^dossier_http_connections_timed_out ")
                    .containsPattern("(?m)^dossier_http_connections_refused ")
                    .containsPattern("(?m)^dossier_ledger_rocksdb_estimated_keys\\{family=\"state\"} [1-9]")
                    .containsPattern("(?m)^dossier_ledger_rocksdb_pending_compaction_bytes\\{family=\"blocks\"} ")
                    .containsPattern("(?m)^dossier_ledger_rocksdb_block_cache_bytes ")
                    .containsPattern("(?m)^dossier_ledger_rocksdb_background_errors 0\\.0$")
                    .containsPattern("(?m)^dossier_ledger_rocksdb_write_stopped 0\\.0$")
                    .containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"")
                    .containsPattern("(?m)^jvm_memory_heap_used_bytes [1-9]")
                    .containsPattern("(?m)^jvm_threads_live_threads [1-9]")
                    // jvm_gc_pause_seconds appears with the first collection
                    .containsPattern("(?m)^jvm_gc_max_data_size_bytes ")
                    .containsPattern("(?m)^grpc_server_requests_received_messages_total\\{.*"
                            + "method=\"Submit\".*service=\"gateway.Gateway\"")
                    .containsPattern("(?m)^grpc_server_processing_duration_seconds_count\\{.*status_code=\"OK\"")
                    // the calls' latency in fixed buckets, for percentiles
                    .containsPattern("(?m)^grpc_server_processing_duration_seconds_bucket\\{"
                            + "(?=.*le=\"0\\.005\")(?=.*method=\"Submit\").*\\} ")
                    .containsPattern("(?m)^grpc_server_processing_duration_seconds_bucket\\{"
                            + "(?=.*le=\"\\+Inf\")(?=.*method=\"Submit\").*\\} [1-9]")
                    .containsPattern("(?m)^grpc_client_processing_duration_seconds_bucket\\{.*le=\"\\+Inf\"")
                    .containsPattern("(?m)^grpc_client_requests_sent_messages_total\\{")
                    // labels stay few: no subject, commitment or client address in them
                    .doesNotContain(SUBJECT)
                    .doesNotContain("127.0.0.1");
        }
    }
}
