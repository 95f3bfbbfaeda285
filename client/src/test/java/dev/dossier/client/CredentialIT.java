package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialVerifier;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialCheck;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.ProofSigner;
import dev.dossier.crypto.Ed25519PrivateKey;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open Badges 3.0 credentials through a real node (RocksDB on disk, real gRPC and HTTP): issued of an anchored record
 * through the Dossier API, verified against the ledger, the node's signed status list and the organisation's did:web
 * document; revoked with their record (the bit flips in the next list); altered copies refused; another issuer's
 * credential (the specification's example re-signed with a did:key) has a valid proof but is not found; and the CLI's
 * {@code certificate --format ob3}, {@code verify} and {@code anchor --credentials}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialIT {
    private LocalNode node;
    private Path keys;
    private NodeApi api;
    private TrustFile trust;
    private Path trustFile;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        node = new LocalNode(temporary.resolve("ledger"));
        keys = Files.createDirectories(temporary.resolve("keys"));
        api = new NodeApi(URI.create(node.node.httpUrl()));
        trust = api.trust();
        trustFile = keys.resolve("trust.txt");
        Files.writeString(trustFile, trust.format());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private CredentialVerifier verifier() {
        return new CredentialVerifier(api, trust, List.of(), Contexts.bundled(), Clock.systemUTC());
    }

    private IssuedCredential issue(Dossier dossier, TrainingRecord record) throws Exception {
        AnchorReceipt anchored = dossier.anchor(record);
        return dossier.issueCredentials(
                        List.of(new CredentialIssuance.Anchored(record, Commitment.fromHex(anchored.commitment()))),
                        node.credentialIssuer(),
                        api)
                .get(0);
    }

    @Test
    void revocationRoundTrip_anchorIssueRevoke_theStatusListBitFlips_andTheVerdictIsRevoked() throws Exception {
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            IssuedCredential credential = issue(dossier, CardIT.record("OB3-REVOKE", 1));

            CredentialVerifier.Result valid = verifier().verify(credential.json());
            assertThat(valid.verdict()).as(valid.reason()).isEqualTo(Verdict.VALID);
            assertThat(valid.reason()).contains("anchored by Org1MSP, status active, not revoked on status list 0");
            assertThat(dossier.status(credential.digest()).orElseThrow().kind()).isEqualTo("credential");
            String listPath =
                    URI.create(credential.status().statusListCredential()).getPath();
            assertThat(listPath).isEqualTo("/v1/status-lists/0");
            CredentialCheck.StatusEntry entry = new CredentialCheck.StatusEntry(
                    credential.status().statusListCredential(),
                    credential.status().index());
            assertThat(bitOnTheNode(listPath, entry)).isFalse();

            dossier.revoke(credential.recordCommitment(), "issued_in_error");

            assertThat(waitForBit(listPath, entry))
                    .as("the next status list has the record's bit set")
                    .isTrue();
            CredentialVerifier.Result revoked = verifier().verify(credential.json());
            assertThat(revoked.verdict()).as(revoked.reason()).isEqualTo(Verdict.REVOKED);
            assertThat(revoked.reason()).contains("issued_in_error");
        }
    }

    @Test
    void everyCredentialHasItsOwnBit_itsRecordsLeafIndex() throws Exception {
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            IssuedCredential first = issue(dossier, CardIT.record("OB3-BIT-1", 1));
            IssuedCredential second = issue(dossier, CardIT.record("OB3-BIT-2", 1));
            assertThat(second.status().index()).isNotEqualTo(first.status().index());
            assertThat(api.credentialStatus(first.recordCommitment(), java.time.Duration.ZERO)
                            .path("leaf_index")
                            .asLong())
                    .isEqualTo(first.status().index());
        }
    }

    @Test
    void alteredCredentials_areTampered_andAnUnknownKeyIsAnUnknownSigner() throws Exception {
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            IssuedCredential credential = issue(dossier, CardIT.record("OB3-TAMPER", 1));
            JsonObject json = CredentialCheck.parse(credential.json());

            JsonObject renamed =
                    Json.createObjectBuilder(json).add("name", "Another course").build();
            assertThat(verifier().verify(renamed.toString()).verdict()).isEqualTo(Verdict.TAMPERED);

            JsonObject later = Json.createObjectBuilder(json)
                    .add("validUntil", "2099-12-31T23:59:59Z")
                    .build();
            CredentialVerifier.Result extended = verifier().verify(later.toString());
            assertThat(extended.verdict()).isEqualTo(Verdict.TAMPERED);
            assertThat(extended.reason()).contains("does not verify");

            // signed by a key the organisation's controller document does not list
            Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
            JsonObject unsigned = Json.createObjectBuilder(json).remove("proof").build();
            String did = node.credentialIssuer().did();
            JsonObject forged = DataIntegrity.sign(
                    unsigned,
                    ProofSigner.eddsa(stranger, did + "#key-0000000000000000"),
                    Instant.now(),
                    Contexts.bundled());
            CredentialVerifier.Result unknown = verifier().verify(forged.toString());
            assertThat(unknown.verdict()).as(unknown.reason()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        }
    }

    @Test
    void anotherIssuersCredential_specificationExampleResignedWithADidKey_hasAValidProofButIsNotFound()
            throws Exception {
        // the OB 3.0 specification's example, its issuer a did:key that signs it (CredentialVectorsTest makes it)
        JsonNode vectors = new ObjectMapper()
                .readTree(
                        Path.of("src/test/resources/vectors/credential-v1.json").toFile());
        String signed = null;
        for (JsonNode vector : vectors.get("credentials")) {
            if (vector.get("name").asText().equals("another-issuer-did-key")) {
                signed = vector.get("json").asText();
            }
        }
        assertThat(signed).isNotNull();
        String didKey = CredentialCheck.parse(signed).getJsonObject("issuer").getString("id");
        assertThat(didKey).startsWith("did:key:z6Mk");

        CredentialVerifier.Result online = verifier().verify(signed);
        assertThat(online.verdict()).as(online.reason()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(online.reason()).startsWith("the proof is valid (signed by " + didKey + ")");
        CredentialVerifier.Result offline =
                new CredentialVerifier(null, null, List.of(), Contexts.bundled(), Clock.systemUTC()).verify(signed);
        assertThat(offline.verdict()).as(offline.reason()).isEqualTo(Verdict.VALID);
    }

    @Test
    void cli_certificateFormatOb3_thenVerify_whiteSpaceIsNotContent() throws Exception {
        Path input = keys.resolveSibling("ob3-records.csv");
        Files.writeString(input, csv(List.of(TestData.validRow())), StandardCharsets.UTF_8);
        String[] cli = node.cli("Issuer", keys);
        CliRun anchored = CliRun.of(
                List.of("anchor"), concat(cli, "--input", input.toString(), "--out", keys.toString(), "--no-progress"));
        assertThat(anchored.code()).as(anchored.text()).isZero();
        Path credential = keys.resolveSibling("ob3-credential.json");
        List<String> keysArgs = List.of(
                "--credential-key", node.credentialKeyFile().toString(),
                "--credential-keys", node.network.resolve("credential-keys.txt").toString(),
                "--node-url", node.node.httpUrl(),
                "--trust", trustFile.toString());
        CliRun issued = CliRun.of(
                List.of("certificate"),
                concat(
                        concat(cli, keysArgs.toArray(String[]::new)),
                        "--input",
                        input.toString(),
                        "--record-id",
                        TestData.validRow().get("record_id"),
                        "--format",
                        "ob3",
                        "--out",
                        credential.toString()));
        assertThat(issued.code()).as(issued.text()).isZero();
        assertThat(issued.text()).contains("VALID: signed by did:web:localhost%3A");

        CliRun verified = CliRun.of(
                List.of("verify"), concat(concat(cli, keysArgs.toArray(String[]::new)), credential.toString()));
        assertThat(verified.code()).as(verified.text()).isZero();
        assertThat(verified.text()).startsWith("VALID: ").contains("eddsa-rdfc-2022");

        Files.writeString(credential, Files.readString(credential).replace("\"Profile\"", "\"Profile\" "));
        CliRun reformatted = CliRun.of(
                List.of("verify"), concat(concat(cli, keysArgs.toArray(String[]::new)), credential.toString()));
        assertThat(reformatted.text()).as("white space is not content").startsWith("VALID: ");
    }

    @Test
    void cli_anchorCredentials_issuesACredentialPerRecord_andPrintsTheRate() throws Exception {
        Path input = keys.resolveSibling("ob3-bulk.csv");
        List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            java.util.Map<String, String> row = TestData.validRow();
            row.put("record_id", "OB3-BULK-" + i);
            rows.add(row);
        }
        Files.writeString(input, csv(rows), StandardCharsets.UTF_8);
        Path directory = keys.resolveSibling("credentials");
        CliRun run = CliRun.of(
                List.of("anchor"),
                concat(
                        node.cli("Issuer", keys),
                        "--input",
                        input.toString(),
                        "--out",
                        keys.toString(),
                        "--no-progress",
                        "--credentials",
                        directory.toString(),
                        "--credential-key",
                        node.credentialKeyFile().toString(),
                        "--credential-keys",
                        node.network.resolve("credential-keys.txt").toString(),
                        "--node-url",
                        node.node.httpUrl()));
        assertThat(run.code()).as(run.text()).isZero();
        assertThat(run.text())
                .containsPattern("credentials +30 Open Badges 3.0 signed, anchored and written to .* \\(\\d+/s\\)");
        Path one = directory.resolve("OB3-BULK-7-v1.json");
        CredentialVerifier.Result verdict = verifier().verify(Files.readString(one));
        assertThat(verdict.verdict()).as(verdict.reason()).isEqualTo(Verdict.VALID);
    }

    private boolean bitOnTheNode(String path, CredentialCheck.StatusEntry entry) throws Exception {
        JsonObject list = CredentialCheck.parse(api.document(path).orElseThrow());
        return CredentialCheck.revoked(list, entry, CredentialVerifier.nodeKeys(trust), Contexts.bundled());
    }

    private boolean waitForBit(String path, CredentialCheck.StatusEntry entry) throws Exception {
        for (int i = 0; i < 50 && !bitOnTheNode(path, entry); i++) {
            Thread.sleep(100);
        }
        return bitOnTheNode(path, entry);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** @return the rows as CSV, the first row's columns as header (the test rows hold no comma nor quote) */
    private static String csv(List<java.util.Map<String, String>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", rows.get(0).keySet())).append('\n');
        for (java.util.Map<String, String> row : rows) {
            out.append(String.join(",", row.values())).append('\n');
        }
        return out.toString();
    }
}
