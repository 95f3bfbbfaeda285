package dev.dossier.node.http;

import static dev.dossier.node.TestNetwork.newCommitment;
import static dev.dossier.node.TestNetwork.notary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.merkle.Proofs;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.ReceiptException;
import dev.dossier.common.receipt.VerifiedReceipt;
import dev.dossier.node.TestNetwork;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.log.CheckpointSigner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A single node over real gRPC and HTTP: commitments anchored through the official fabric-gateway client, then
 * receipts, status, keys, checkpoints, health, metrics, the OpenAPI document and the verify page read over HTTP, and
 * receipts verified offline with the trust file the node serves; anchoring and dossiers over HTTP with API tokens of
 * an employer and an inspector, under the chaincode's role policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMPLOYER = "Employer@org1.dossier.local";
    private static final String INSPECTOR = "Inspector@org1.dossier.local";
    private static final String AUDITOR = "Auditor@org1.dossier.local";
    private static final String WORKER = "Worker1@org1.dossier.local";
    /** A positive value in Prometheus' text format (a floating-point number such as 3.0 or 1.2345678E7), to the end of its line. */
    private static final String POSITIVE = "[1-9][0-9]*\\.[0-9]+(E[0-9]+)?$";

    @TempDir
    static Path directory;

    private TestNetwork network;
    private HttpClient http;
    private String base;
    private final List<String> anchored = new ArrayList<>();

    @BeforeAll
    void startNodeAndAnchor() throws Exception {
        network = new TestNetwork(directory, List.of(EMPLOYER, INSPECTOR, AUDITOR, WORKER));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://localhost:" + network.node.httpPort();
        try (Gateway gateway = network.gateway("issuer")) {
            for (int i = 0; i < 3; i++) {
                String commitment = newCommitment();
                notary(gateway).submitTransaction("anchor", commitment, "record");
                anchored.add(commitment);
            }
        }
    }

    @AfterAll
    void stopNode() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String user) {
        return network.apiTokens.get(user);
    }

    private static String entries(String... entries) {
        return "{\"entries\":[" + String.join(",", entries) + "]}";
    }

    private static String entry(String commitment, String subject) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"schemaVersion\":1,"
                + "\"validUntil\":\"2031-12-31\",\"subject\":\"" + subject + "\"}";
    }

    private static String errorCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("code").asText();
    }

    /** The receipt of a commitment, waiting while the node answers 503 (not yet covered by a cosigned checkpoint). */
    private JsonNode receipt(String commitment) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            HttpResponse<String> response = get("/v1/receipts/" + commitment);
            if (response.statusCode() == 200) {
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
                return JSON.readTree(response.body());
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(System.nanoTime()).as("receipt within 15 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private TrustFile trust() throws Exception {
        HttpResponse<String> keys = get("/v1/keys");
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        return TrustFile.parse(keys.body());
    }

    @Test
    void receipts_verifyOfflineAgainstTheKeysTheNodeServes_andCarryTheEntryAsAnchored() throws Exception {
        TrustFile trust = trust();
        String nodeName = network.consortium.nodes().get(0).name();
        assertThat(trust.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(trust.cosigners()).isEqualTo(1);
        assertThat(trust.keys()).hasSize(1);
        assertThat(trust.keys().get(0).name()).isEqualTo(nodeName);
        for (String commitment : anchored) {
            JsonNode body = receipt(commitment);
            String compact = body.get("receipt").asText();

            VerifiedReceipt verified = Receipt.decode(compact).verify(trust);

            assertThat(verified.commitment()).isEqualTo(commitment);
            assertThat(verified.signers()).containsExactly(nodeName);
            assertThat(JSON.readTree(verified.entry())).isEqualTo(body.get("entry"));
            assertThat(body.get("entry").get("commitment").asText()).isEqualTo(commitment);
            assertThat(body.get("entry").get("status").asText()).isEqualTo("active");
            assertThat(body.get("entry").get("mspId").asText()).isEqualTo("Org1MSP");
            assertThat(body.get("commitment").asText()).isEqualTo(commitment);
            assertThat(body.get("leaf_index").asLong())
                    .isEqualTo(Receipt.decode(compact).leafIndex());
            assertThat(body.get("tree_size").asLong())
                    .isEqualTo(verified.checkpoint().size())
                    .isGreaterThan(body.get("leaf_index").asLong());
            assertThat(Instant.parse(body.get("checkpoint_time").asText()))
                    .isEqualTo(verified.checkpoint().instant());
            assertThat(body.get("verify_url").asText()).isEqualTo(base + "/verify#r=" + compact);
        }
        JsonNode upper = receipt(anchored.get(0).toUpperCase(Locale.ROOT));
        assertThat(upper.get("commitment").asText()).isEqualTo(anchored.get(0));
    }

    @Test
    void tamperedReceipts_failVerification() throws Exception {
        TrustFile trust = trust();
        Receipt receipt = Receipt.decode(receipt(anchored.get(1)).get("receipt").asText());
        byte[] entry = receipt.entry();
        String anchoredEntry = new String(entry, StandardCharsets.UTF_8);
        byte[] revokedEntry = anchoredEntry
                .replace("\"status\":\"active\"", "\"status\":\"revoked\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(revokedEntry).isNotEqualTo(entry);
        Receipt changedEntry = Receipt.of(
                receipt.commitment(),
                receipt.leafIndex(),
                receipt.treeSize(),
                receipt.proof(),
                revokedEntry,
                receipt.checkpoint());
        assertThatThrownBy(() -> Receipt.decode(changedEntry.encode()).verify(trust))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("inclusion proof");

        byte[] raw = Base64.getUrlDecoder().decode(receipt.encode());
        raw[5] ^= 1; // a bit of the commitment
        String flipped = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThatThrownBy(() -> Receipt.decode(flipped).verify(trust)).isInstanceOf(ReceiptException.class);

        String forgedNote = receipt.checkpoint().replaceFirst("\n\\d+\n", "\n" + (receipt.treeSize() + 1) + "\n");
        Receipt otherCheckpoint = Receipt.of(
                receipt.commitment(),
                receipt.leafIndex(),
                receipt.treeSize() + 1,
                receipt.proof(),
                receipt.entry(),
                forgedNote);
        assertThatThrownBy(() -> otherCheckpoint.verify(trust))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("checkpoint");
    }

    @Test
    void unknownCommitment_is404_andMalformedHex_is400() throws Exception {
        String unknown = newCommitment();
        for (String path : List.of("/v1/receipts/", "/v1/status/")) {
            HttpResponse<String> missing = get(path + unknown);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(missing.body()).get("code").asText()).isEqualTo("NOT_FOUND");
            String tooShort = unknown.substring(path.equals("/v1/status/") ? 33 : 1); // status takes prefixes of 32+
            for (String bad : List.of("abc", tooShort, unknown + "0", "g" + unknown.substring(1), "")) {
                HttpResponse<String> response = get(path + bad);
                assertThat(response.statusCode()).as(path + bad).isEqualTo(400);
                JsonNode error = JSON.readTree(response.body());
                assertThat(error.get("code").asText()).isEqualTo("BAD_REQUEST");
                assertThat(error.get("error").asText()).contains("64 hexadecimal digits");
            }
        }
        assertThat(get("/v1/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void statusByPrefix_findsTheOneEntry_refusesAnAmbiguousPrefix_andShortOnes() throws Exception {
        String shared = newCommitment().substring(0, 32);
        String first = shared + "0" + newCommitment().substring(33);
        String second = shared + "f" + newCommitment().substring(33);
        try (Gateway gateway = network.gateway("issuer")) {
            notary(gateway).submitTransaction("anchor", first, "record");
            notary(gateway).submitTransaction("anchor", second, "record");
        }
        HttpResponse<String> ambiguous = get("/v1/status/" + shared);
        assertThat(ambiguous.statusCode()).as(ambiguous.body()).isEqualTo(409);
        assertThat(JSON.readTree(ambiguous.body()).get("code").asText()).isEqualTo("AMBIGUOUS");
        assertThat(ambiguous.body()).doesNotContain(first).doesNotContain(second);

        for (String commitment : List.of(first, second)) {
            String prefix = commitment.substring(0, 33).toUpperCase(Locale.ROOT);
            HttpResponse<String> found = get("/v1/status/" + prefix);
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            JsonNode entry = JSON.readTree(found.body());
            assertThat(entry.get("commitment").asText()).isEqualTo(commitment);
            assertThat(entry.get("mspId").asText()).isEqualTo("Org1MSP");
        }
        HttpResponse<String> none = get("/v1/status/" + newCommitment().substring(0, 32));
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(none.body()).get("error").asText()).contains("no commitment starting with");
        HttpResponse<String> tooShort = get("/v1/status/" + shared.substring(1));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooShort.body()).get("error").asText()).contains("32 to 63");
    }

    @Test
    void statusAfterRevocation_isRevoked_whileTheReceiptStillProvesTheEntryAsAnchored() throws Exception {
        String commitment = newCommitment();
        try (Gateway gateway = network.gateway("issuer")) {
            notary(gateway).submitTransaction("anchor", commitment, "record");
            HttpResponse<String> before = get("/v1/status/" + commitment);
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(before.body()).get("status").asText()).isEqualTo("active");

            notary(gateway).submitTransaction("revoke", commitment, "issued_in_error");
        }
        HttpResponse<String> after = get("/v1/status/" + commitment);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode entry = JSON.readTree(after.body());
        assertThat(entry.get("commitment").asText()).isEqualTo(commitment);
        assertThat(entry.get("status").asText()).isEqualTo("revoked");
        assertThat(after.body()).contains("issued_in_error");

        VerifiedReceipt verified =
                Receipt.decode(receipt(commitment).get("receipt").asText()).verify(trust());
        assertThat(JSON.readTree(verified.entry()).get("status").asText()).isEqualTo("active");
    }

    @Test
    void consistency_provesEachSmallerTreeAPrefixOfTheLog_andRefusesBadSizesWith400() throws Exception {
        receipt(anchored.get(anchored.size() - 1)); // the log holds the anchored commitments
        long size = network.node.commitmentLog().size();
        assertThat(size).isGreaterThanOrEqualTo(3);
        // a few sizes, whatever the other tests anchored: the route is rate-limited per address
        for (long from : new java.util.TreeSet<>(List.of(1L, 2L, size / 2, size - 1, size))) {
            HttpResponse<String> response = get("/v1/log/consistency?from=" + from + "&to=" + size);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("from").asLong()).isEqualTo(from);
            assertThat(body.get("to").asLong()).isEqualTo(size);
            List<byte[]> proof = new ArrayList<>();
            body.get("proof").forEach(h -> proof.add(Base64.getDecoder().decode(h.asText())));
            Proofs.verifyConsistency(
                    from,
                    size,
                    network.node.commitmentLog().root(from),
                    network.node.commitmentLog().root(size),
                    proof);
        }
        for (String query : List.of(
                "",
                "?from=1",
                "?to=2",
                "?from=0&to=2",
                "?from=3&to=2",
                "?from=01&to=2",
                "?from=1&to=2&from=1",
                "?from=1&to=2&x=3",
                "?from=-1&to=2",
                "?from=1&to=99999999999999999999",
                "?from=1&to=" + (size + 1),
                "?from=1&to=2" + "&".repeat(HttpApi.MAX_CONSISTENCY_QUERY))) {
            HttpResponse<String> response = get("/v1/log/consistency" + query);
            assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("BAD_REQUEST");
        }
        assertThat(JSON.readTree(get("/v1/log/consistency?from=1&to=" + (size + 1))
                                .body())
                        .get("error")
                        .asText())
                .contains("beyond this node's log of " + size + " leaves");
    }

    @Test
    void checkpoint_isTheCosignedNote_verifiedByTheTrustFile() throws Exception {
        receipt(anchored.get(0)); // a cosigned checkpoint exists
        HttpResponse<String> response = get("/v1/checkpoint");
        assertThat(response.statusCode()).isEqualTo(200);
        SignedNote note = SignedNote.parse(response.body());
        assertThat(trust().verifier().verify(note))
                .containsExactly(network.consortium.nodes().get(0).name());
        assertThat(note.text()).startsWith("dossier/dossier/notary\n");
    }

    @Test
    void cosign_refusesMalformedNotes_notesOfAnotherTime_andLargeBodies() throws Exception {
        HttpResponse<String> garbage = post("/v1/checkpoint/cosign", "not a note");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbage.body()).get("code").asText()).isEqualTo("BAD_REQUEST");

        Consortium.Node self = network.consortium.nodes().get(0);
        CheckpointSigner signer = new CheckpointSigner(network.consortium.signer(self.name()), self.name());
        long tenMinutesAgo = Instant.now().getEpochSecond() - 600;
        String stale = signer.sign("dossier/dossier/notary", network.node.commitmentLog(), tenMinutesAgo)
                .format();
        HttpResponse<String> conflict = post("/v1/checkpoint/cosign", stale);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).get("code").asText()).isEqualTo("CONFLICT");

        String fresh = signer.sign(
                        "dossier/dossier/notary",
                        network.node.commitmentLog(),
                        Instant.now().getEpochSecond())
                .format();
        HttpResponse<String> cosigned = post("/v1/checkpoint/cosign", fresh);
        assertThat(cosigned.statusCode()).isEqualTo(200);
        assertThat(SignedNote.parse(cosigned.body()).text())
                .isEqualTo(SignedNote.parse(fresh).text());

        HttpResponse<String> large = post("/v1/checkpoint/cosign", "x".repeat(HttpApi.MAX_BODY_BYTES + 1));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(get("/v1/checkpoint/cosign").statusCode()).isEqualTo(405);
    }

    @Test
    void healthz_isOk_withHeightAndSizes() throws Exception {
        receipt(anchored.get(0));
        HttpResponse<String> response = get("/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("height").asLong()).isPositive().isLessThanOrEqualTo(network.node.height());
        assertThat(health.get("log_size").asLong()).isGreaterThanOrEqualTo(anchored.size());
        assertThat(health.get("checkpoint_size").asLong())
                .isGreaterThanOrEqualTo(anchored.size())
                .isLessThanOrEqualTo(health.get("log_size").asLong());
    }

    @Test
    void metrics_arePrometheusText_withTheLedgerHeightAndRequestCounts() throws Exception {
        receipt(anchored.get(0));
        long before = network.node.height();
        HttpResponse<String> response = get("/metrics");
        long after = network.node.height();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = response.body();
        // Prometheus' text format writes every value as a floating-point number: 7.0, 1.2345678E7
        Matcher height = Pattern.compile("(?m)^dossier_ledger_height (\\S+)$").matcher(text);
        assertThat(height.find()).as(text).isTrue();
        assertThat((long) Double.parseDouble(height.group(1))).isBetween(before, after);
        assertThat(text)
                .contains("# TYPE dossier_ledger_height gauge")
                .containsPattern("(?m)^dossier_log_size " + POSITIVE)
                .containsPattern("(?m)^dossier_checkpoint_size " + POSITIVE)
                .containsPattern("(?m)^dossier_checkpoint_timestamp_seconds " + POSITIVE)
                .containsPattern("(?m)^dossier_checkpoint_cosigners 1\\.0$")
                .containsPattern(
                        "(?m)^dossier_http_requests_total\\{route=\"/v1/receipts/\\{commitment}\",status=\"200\"} "
                                + POSITIVE)
                .containsPattern("(?m)^jvm_memory_heap_used_bytes " + POSITIVE);
    }

    @Test
    void anchor_asEmployer_commitsTheEntries_reportsTheDuplicates_andTheirReceiptsVerify() throws Exception {
        String subject = newCommitment();
        List<String> commitments = List.of(newCommitment(), newCommitment(), newCommitment());
        String body = entries(
                entry(commitments.get(0), subject),
                entry(commitments.get(1), subject),
                entry(commitments.get(2), subject),
                entry(commitments.get(0), subject));

        HttpResponse<String> response = send("POST", "/v1/anchor", token(EMPLOYER), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("anchored").asInt()).isEqualTo(3);
        assertThat(result.get("already_anchored").asInt()).isEqualTo(1);
        assertThat(result.get("results")).hasSize(4);
        assertThat(result.get("results").get(0).get("commitment").asText()).isEqualTo(commitments.get(0));
        assertThat(result.get("results").get(0).get("outcome").asText()).isEqualTo("ANCHORED");
        assertThat(result.get("results").get(3).get("outcome").asText()).isEqualTo("ALREADY_ANCHORED");
        String txId = result.get("tx_id").asText();
        assertThat(network.node.ledger().transaction(txId)).isPresent();
        assertThat(result.get("block").asLong()).isPositive().isLessThan(network.node.height());

        HttpResponse<String> again =
                send("POST", "/v1/anchor", token(EMPLOYER), entries(entry(commitments.get(1), subject)));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("anchored").asInt()).isZero();
        assertThat(JSON.readTree(again.body()).get("already_anchored").asInt()).isEqualTo(1);

        TrustFile trust = trust();
        for (String commitment : commitments) {
            VerifiedReceipt verified =
                    Receipt.decode(receipt(commitment).get("receipt").asText()).verify(trust);
            JsonNode entry = JSON.readTree(verified.entry());
            assertThat(verified.commitment()).isEqualTo(commitment);
            assertThat(entry.get("mspId").asText()).isEqualTo("Org1MSP");
            assertThat(entry.get("validUntil").asText()).isEqualTo("2031-12-31");
            assertThat(entry.has("issuerId"))
                    .as("the issuing person's DN is not public")
                    .isFalse();
            assertThat(entry.has("subject"))
                    .as("the subject pseudonym is not public")
                    .isFalse();
            HttpResponse<String> status = get("/v1/status/" + commitment);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).doesNotContain(subject).doesNotContain(EMPLOYER);
            assertThat(JSON.readTree(status.body()).get("mspId").asText()).isEqualTo("Org1MSP");
        }

        HttpResponse<String> dossier =
                send("GET", "/v1/dossier/" + subject.toUpperCase(Locale.ROOT), token(EMPLOYER), null);
        assertThat(dossier.statusCode()).as(dossier.body()).isEqualTo(200);
        JsonNode listed = JSON.readTree(dossier.body());
        List<String> listedCommitments = new ArrayList<>();
        listed.forEach(e -> {
            assertThat(e.get("subject").asText()).isEqualTo(subject);
            listedCommitments.add(e.get("commitment").asText());
        });
        assertThat(listedCommitments).containsExactlyInAnyOrderElementsOf(commitments);

        HttpResponse<String> empty = send("GET", "/v1/dossier/" + newCommitment(), token(EMPLOYER), null);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(empty.body())).isEmpty();

        assertThat(get("/metrics").body())
                .containsPattern("(?m)^dossier_http_requests_total\\{route=\"/v1/anchor\",status=\"200\"} " + POSITIVE)
                .containsPattern("(?m)^dossier_http_requests_total\\{route=\"/v1/dossier/\\{subject}\",status=\"200\"} "
                        + POSITIVE);
    }

    @Test
    void inspectorToken_isDeniedAnchoringAndDossiers_byTheContractsRolePolicy() throws Exception {
        String commitment = newCommitment();
        HttpResponse<String> anchor =
                send("POST", "/v1/anchor", token(INSPECTOR), entries(entry(commitment, newCommitment())));
        assertThat(anchor.statusCode()).as(anchor.body()).isEqualTo(403);
        assertThat(errorCode(anchor)).isEqualTo("FORBIDDEN");
        assertThat(JSON.readTree(anchor.body()).get("error").asText())
                .isEqualTo("role 'inspector' of Org1MSP may not call 'anchorBatch'");
        assertThat(get("/v1/status/" + commitment).statusCode()).isEqualTo(404);

        HttpResponse<String> dossier = send("GET", "/v1/dossier/" + newCommitment(), token(INSPECTOR), null);
        assertThat(dossier.statusCode()).as(dossier.body()).isEqualTo(403);
        assertThat(JSON.readTree(dossier.body()).get("error").asText())
                .isEqualTo("role 'inspector' of Org1MSP may not call 'dossier'");
    }

    @Test
    void supersedeAndRevoke_asEmployer_commitTheCorrectionsAndRevocations() throws Exception {
        String subject = newCommitment();
        String old = newCommitment();
        String fix = newCommitment();
        String withdrawn = newCommitment();
        assertThat(send("POST", "/v1/anchor", token(EMPLOYER), entries(entry(old, subject), entry(withdrawn, subject)))
                        .statusCode())
                .isEqualTo(200);
        String correction = entry(fix, subject).replace("}", ",\"supersedes\":\"" + old + "\"}");

        HttpResponse<String> superseded = send("POST", "/v1/supersede", token(EMPLOYER), entries(correction));

        assertThat(superseded.statusCode()).as(superseded.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(superseded.body());
        assertThat(result.get("superseded").asInt()).isEqualTo(1);
        assertThat(result.at("/results/0/outcome").asText()).isEqualTo("SUPERSEDED");
        assertThat(JSON.readTree(get("/v1/status/" + old).body()).toString())
                .contains("\"supersededBy\":\"" + fix + "\"");
        assertThat(JSON.readTree(send("POST", "/v1/supersede", token(EMPLOYER), entries(correction))
                                .body())
                        .at("/results/0/outcome")
                        .asText())
                .as("sent again")
                .isEqualTo("ALREADY_SUPERSEDED");
        HttpResponse<String> plain =
                send("POST", "/v1/supersede", token(EMPLOYER), entries(entry(newCommitment(), subject)));
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(plain.body()).get("error").asText())
                .isEqualTo("entries 0 names no 'supersedes' commitment");

        String revocations = "{\"revocations\":[{\"commitment\":\"" + withdrawn
                + "\",\"reason\":\"withdrawn\"},{\"commitment\":\"" + newCommitment() + "\",\"reason\":\"fraud\"}]}";
        HttpResponse<String> revoked = send("POST", "/v1/revoke", token(EMPLOYER), revocations);

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(revoked.body());
        assertThat(outcome.get("revoked").asInt()).isEqualTo(1);
        assertThat(outcome.at("/results/0/outcome").asText()).isEqualTo("REVOKED");
        assertThat(outcome.at("/results/1/outcome").asText()).isEqualTo("REFUSED");
        assertThat(outcome.at("/results/1/reason").asText()).endsWith("is not anchored");
        assertThat(get("/v1/status/" + withdrawn).body()).contains("withdrawn");
        HttpResponse<String> badReason = send(
                "POST",
                "/v1/revoke",
                token(EMPLOYER),
                "{\"revocations\":[{\"commitment\":\"" + fix + "\",\"reason\":\"because\"}]}");
        assertThat(badReason.statusCode()).as(badReason.body()).isEqualTo(400);
        assertThat(JSON.readTree(badReason.body()).get("error").asText()).contains("reason code must be one of");
    }

    @ParameterizedTest
    @ValueSource(strings = {INSPECTOR, AUDITOR, WORKER})
    void tokensOfRolesThatMayNotRevoke_areRefusedSupersedeAndRevoke_namingRoleAndFunction(String user)
            throws Exception {
        String role =
                user.substring(0, user.indexOf('@')).replaceAll("[0-9]", "").toLowerCase(Locale.ROOT);
        String target = anchored.get(0);
        String correction = entry(newCommitment(), newCommitment()).replace("}", ",\"supersedes\":\"" + target + "\"}");

        HttpResponse<String> supersede = send("POST", "/v1/supersede", token(user), entries(correction));
        HttpResponse<String> revoke = send(
                "POST",
                "/v1/revoke",
                token(user),
                "{\"revocations\":[{\"commitment\":\"" + target + "\",\"reason\":\"fraud\"}]}");

        assertThat(supersede.statusCode()).as(supersede.body()).isEqualTo(403);
        assertThat(JSON.readTree(supersede.body()).get("error").asText())
                .isEqualTo("role '" + role + "' of Org1MSP may not call 'anchorBatch'");
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(403);
        assertThat(JSON.readTree(revoke.body()).get("error").asText())
                .isEqualTo("role '" + role + "' of Org1MSP may not call 'revokeBatch'");
        assertThat(get("/v1/status/" + target).body()).contains("\"status\":\"active\"");
    }

    @Test
    void missingOrUnknownToken_is401() throws Exception {
        String body = entries(entry(newCommitment(), newCommitment()));
        String otherToken = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        for (String token : new String[] {null, otherToken, token(EMPLOYER) + "x", ""}) {
            HttpResponse<String> anchor = send("POST", "/v1/anchor", token, body);
            assertThat(anchor.statusCode()).as(anchor.body()).isEqualTo(401);
            assertThat(errorCode(anchor)).isEqualTo("UNAUTHORIZED");
            assertThat(anchor.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            HttpResponse<String> dossier = send("GET", "/v1/dossier/" + newCommitment(), token, null);
            assertThat(dossier.statusCode()).as(dossier.body()).isEqualTo(401);
        }
        HttpResponse<String> basic = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/dossier/" + newCommitment()))
                        .header("Authorization", "Basic " + token(EMPLOYER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/anchor", token(EMPLOYER), null).statusCode())
                .isEqualTo(405);
    }

    @Test
    void malformedAnchorRequests_are400_withTheContractsMessage_andAnchorNothing() throws Exception {
        String employer = token(EMPLOYER);
        for (String body : List.of(
                "not json",
                "[]",
                "{\"entries\":{}}",
                "{\"entries\":[],\"x\":1}",
                "{\"entries\":[]}",
                "{\"entries\":[]} []",
                "{\"entries\":[],\"entries\":[]}")) {
            HttpResponse<String> response = send("POST", "/v1/anchor", employer, body);
            assertThat(response.statusCode())
                    .as(body + " -> " + response.body())
                    .isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("BAD_REQUEST");
        }
        String good = newCommitment();
        HttpResponse<String> badEntry = send(
                "POST",
                "/v1/anchor",
                employer,
                entries(entry(good, newCommitment()), "{\"commitment\":\"abc\",\"kind\":\"record\"}"));
        assertThat(badEntry.statusCode()).as(badEntry.body()).isEqualTo(400);
        assertThat(JSON.readTree(badEntry.body()).get("error").asText())
                .startsWith("1 malformed entry, nothing anchored: entry 1: ");
        assertThat(get("/v1/status/" + good).statusCode()).isEqualTo(404);

        String tooMany = entries(java.util.Collections.nCopies(HttpApi.MAX_ANCHOR_ENTRIES + 1, "{}")
                .toArray(new String[0]));
        HttpResponse<String> many = send("POST", "/v1/anchor", employer, tooMany);
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(many.body()).get("error").asText()).contains("at most 5000 entries");

        // announced beyond the limit: refused before the body is read (a client still sending would see a reset)
        try (Socket socket = new Socket("localhost", network.node.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /v1/anchor HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + employer
                                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                                    + (HttpApi.MAX_ANCHOR_BODY_BYTES + 1) + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }

        HttpResponse<String> badSubject = send("GET", "/v1/dossier/abc", employer, null);
        assertThat(badSubject.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSubject.body()).get("error").asText()).contains("64 hexadecimal digits");
    }

    @Test
    void openApi_isAnOpenApi31Document_describingEveryRoute() throws Exception {
        HttpResponse<String> response = get("/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = JSON.readTree(response.body());
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> paths = new ArrayList<>();
        document.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).containsExactlyInAnyOrderElementsOf(HttpApi.routes());
        assertThat(document.at("/components/securitySchemes/apiToken/scheme").asText())
                .isEqualTo("bearer");
        assertThat(document.at("/paths/~1v1~1anchor/post/security/0/apiToken")).isNotNull();
        assertThat(document.at("/paths/~1v1~1anchor/post/responses/403").isMissingNode())
                .isFalse();
    }

    @Test
    void verifyPage_isServedFromTheClasspath_andRootRedirectsToIt() throws Exception {
        for (String path : List.of("/verify", "/verify/", "/verify/index.html")) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.body()).containsIgnoringCase("<html");
        }
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/verify");
        for (String path : List.of("/verify/missing.js", "/verify/..", "/verify/.hidden.txt", "/verify/index.exe")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void bundledContexts_areServedForThePage_andNothingElseUnderContexts() throws Exception {
        HttpResponse<String> ob = get("/verify/contexts/ob-v3p0-context-3.0.3.json");
        assertThat(ob.statusCode()).isEqualTo(200);
        assertThat(ob.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        try (java.io.InputStream in =
                dev.dossier.credential.Contexts.class.getResourceAsStream("contexts/ob-v3p0-context-3.0.3.json")) {
            assertThat(ob.body()).isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(JSON.readTree(get("/verify/contexts/credentials-v2.jsonld").body())
                        .at("/@context/@protected")
                        .asBoolean())
                .isTrue();
        for (String path :
                List.of("/verify/contexts/missing.json", "/verify/contexts/..", "/verify/contexts/../Contexts.class")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }
}
