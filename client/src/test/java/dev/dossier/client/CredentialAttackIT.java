package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialIssuer;
import dev.dossier.client.credential.CredentialVerifier;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialCheck;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.ProofException;
import dev.dossier.credential.ProofSigner;
import dev.dossier.credential.StatusList;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.OrganisationKeys;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on Open Badges credentials between two organisations, on a two-node network (one node each, Raft, RocksDB
 * on disk, real gRPC and HTTP). Org1 issues a genuine credential of its record; Org2, a member of the consortium with
 * its own genuine credential key, is dishonest: it signs credentials about Org1's record with its own keys, naming
 * Org1 as issuer or itself, and its operator starts its node with a {@code credential-keys.txt} that lists a key Org2
 * holds as Org1's. Every credential is checked against both nodes (keys from the node asked) and against the pinned
 * consortium keys, as {@code dossier verify} does; none of Org2's may come out {@code VALID}. Then the status list: a
 * credential whose list URL names the other organisation's node, and a list altered on its way to the verifier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialAttackIT {
    private static final String LIST = "/v1/status-lists/0";

    private List<LocalNode> nodes;
    private LocalNode org1;
    private LocalNode org2;
    private Path keys;
    private TrustFile trust;
    /** The consortium's credential keys, as an offline verifier pins them. */
    private List<CredentialKey> pinned;
    /** A key Org2's operator generated and listed as Org1's in the credential-keys.txt its node reads. */
    private CredentialKey plantedKey;

    private Path plantedKeyFile;
    private IssuedCredential genuine;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        Path org2Files = Files.createDirectories(temporary.resolve("org2-files"));
        nodes = LocalNode.network(temporary, 2, (org, network) -> {
            if (org == 0) {
                return LocalNode.KeyFiles.CONSORTIUM.cardKeys(org, network);
            }
            Files.copy(
                    network.resolve(OrganisationKeys.CARDS.fileName()),
                    org2Files.resolve(OrganisationKeys.CARDS.fileName()));
            Files.copy(
                    network.resolve(OrganisationKeys.CREDENTIALS.fileName()),
                    org2Files.resolve(OrganisationKeys.CREDENTIALS.fileName()));
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            plantedKey = OrganisationKeys.CREDENTIALS.add(org2Files, "Org1MSP", today.minusDays(1), today.plusDays(30));
            plantedKeyFile = OrganisationKeys.CREDENTIALS.privateKeyFile(org2Files, plantedKey);
            return org2Files.resolve(OrganisationKeys.CARDS.fileName());
        });
        org1 = nodes.get(0);
        org2 = nodes.get(1);
        keys = Files.createDirectories(temporary.resolve("keys"));
        trust = api(org1).trust();
        pinned = CredentialKey.load(org1.network.resolve(OrganisationKeys.CREDENTIALS.fileName()));
        try (Gateway gateway = org1.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            genuine = issue(dossier, CardIT.record("ATTACK-R1", 1), org1.credentialIssuer(), api(org1));
        }
        awaitOnBothNodes(genuine.digest());
    }

    @AfterAll
    void stop() {
        if (nodes != null) {
            nodes.forEach(LocalNode::close);
        }
    }

    @Test
    void genuineCredential_isValidOnEveryNode_andWithThePinnedKeys() throws Exception {
        for (CredentialVerifier.Result result : verifyEverywhere(genuine.json())) {
            assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.VALID);
            assertThat(result.reason()).contains("anchored by Org1MSP, status active");
        }
    }

    @Test
    void org2SignsWithItsOwnKey_namingOrg1AsIssuer_isAnUnknownSigner_orTampered() throws Exception {
        Ed25519PrivateKey org2Key = Pem.readEd25519PrivateKey(org2.credentialKeyFile());
        JsonObject unsigned = withoutProof(genuine.json());
        String org1Did = org1.credentialIssuer().did();
        String org2Did = org2.credentialIssuer().did();

        // Org2's key under Org1's DID: no node lists it among Org1's keys, nor does the pinned file
        String asOrg1Key = sign(unsigned, org2Key, org1Did + "#" + org2.credentialKey.fragment());
        anchorAsOrg2(asOrg1Key);
        for (CredentialVerifier.Result result : verifyEverywhere(asOrg1Key)) {
            assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.UNKNOWN_SIGNER);
            assertThat(result.reason()).contains(org2.credentialKey.fragment()).contains("Org1MSP");
        }

        // Org2's key under its own DID, issuer still Org1: the proof's key is not the issuer's
        String asOrg2Key = sign(unsigned, org2Key, org2Did + "#" + org2.credentialKey.fragment());
        for (CredentialVerifier.Result result : verifyEverywhere(asOrg2Key)) {
            assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.TAMPERED);
            assertThat(result.reason()).contains("is not a key of the issuer " + org1Did);
        }
    }

    @Test
    void org2AsIssuer_ofOrg1sRecord_onOrg1sNodesDid_isNotFound_andCannotBeIssuedThroughTheApi() throws Exception {
        // Org2's genuine key, its DID naming Org1's node (any node serves every organisation's document)
        CredentialIssuer org2OnOrg1sHost = CredentialIssuer.listed(
                Pem.readEd25519PrivateKey(org2.credentialKeyFile()), List.of(org2.credentialKey), host(org1));
        assertThat(org2OnOrg1sHost.did()).isEqualTo("did:web:" + host(org1).replace(":", "%3A") + ":Org2MSP");
        TrainingRecord record = CardIT.record("ATTACK-R1", 1);
        try (Gateway gateway = org2.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            List<CredentialIssuance.Anchored> anchored =
                    List.of(new CredentialIssuance.Anchored(record, genuine.recordCommitment()));
            assertThatThrownBy(() -> dossier.issueCredentials(anchored, org2OnOrg1sHost, api(org2)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("anchored by Org1MSP")
                    .hasMessageContaining("Org2MSP issues credentials only of its own active records");
        }

        // done by hand: signed with Org2's key as Org2, evidence Org1's record, its digest anchored by Org2
        IssuedCredential forged =
                org2OnOrg1sHost.issue(record, genuine.recordCommitment(), genuine.status(), Instant.now());
        anchorAsOrg2(forged.json());
        for (CredentialVerifier.Result result : verifyEverywhere(forged.json())) {
            assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.NOT_FOUND);
            assertThat(result.reason())
                    .isEqualTo("the credential's record " + genuine.recordCommitment()
                            + " is not anchored by its issuer Org2MSP");
        }
    }

    @Test
    void aKeyOrg2ListsAsOrg1sOnItsOwnNode_isUnknownElsewhere_andNeverValidEvenOnOrg2sNode() throws Exception {
        CredentialIssuer planted =
                CredentialIssuer.listed(Pem.readEd25519PrivateKey(plantedKeyFile), List.of(plantedKey), host(org1));
        assertThat(planted.organisation()).isEqualTo("Org1MSP");
        assertThat(api(org2).document("/Org1MSP/did.json").orElseThrow())
                .as("Org2's node serves the planted key as Org1's")
                .contains(plantedKey.fragment());
        String forged = sign(
                withoutProof(genuine.json()),
                Pem.readEd25519PrivateKey(plantedKeyFile),
                planted.did() + "#" + plantedKey.fragment());
        anchorAsOrg2(forged);

        CredentialVerifier.Result onOrg1 = verifier(api(org1), List.of()).verify(forged);
        assertThat(onOrg1.verdict()).as(onOrg1.reason()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(onOrg1.reason()).contains("is not in Org1MSP's controller document");
        CredentialVerifier.Result withPinned = verifier(api(org1), pinned).verify(forged);
        assertThat(withPinned.verdict()).as(withPinned.reason()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(withPinned.reason()).contains("is not among the pinned credential keys");
        // asking Org2's own node, the key resolves, but only Org1 can anchor in Org1's name: the ledger says no
        CredentialVerifier.Result onOrg2 = verifier(api(org2), List.of()).verify(forged);
        assertThat(onOrg2.verdict()).as(onOrg2.reason()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(onOrg2.reason())
                .isEqualTo("the credential is anchored by Org2MSP, not by its issuer " + planted.did());
    }

    @Test
    void statusListNamingTheOtherOrganisationsNode_isTheConsortiumsList_revokedOnEveryNode() throws Exception {
        try (Gateway gateway = org1.gateway("Issuer")) {
            Dossier dossier = LocalNode.dossier(gateway, keys);
            // Org1's credential, issued through Org2's node: its status list URL names Org2's node
            IssuedCredential credential =
                    issue(dossier, CardIT.record("ATTACK-R2", 1), org1.credentialIssuer(), api(org2));
            assertThat(credential.status().statusListCredential()).startsWith(org2.node.httpUrl());
            awaitOnBothNodes(credential.digest());
            for (CredentialVerifier.Result result : verifyEverywhere(credential.json())) {
                assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.VALID);
                assertThat(result.reason()).endsWith("not revoked on status list 0");
            }
            JsonObject org2List = CredentialCheck.parse(
                    api(org2).document("/v1/status-lists/0").orElseThrow());
            assertThat(org2List.getJsonObject("proof").getString("verificationMethod"))
                    .endsWith("#" + org2.settings.name());

            dossier.revoke(credential.recordCommitment(), "issued_in_error");
            CredentialCheck.StatusEntry entry = new CredentialCheck.StatusEntry(
                    credential.status().statusListCredential(),
                    credential.status().index());
            for (LocalNode node : nodes) {
                assertThat(awaitBit(api(node), entry))
                        .as("bit set on " + node.mspId + "'s node")
                        .isTrue();
            }
            for (CredentialVerifier.Result result : verifyEverywhere(credential.json())) {
                assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.REVOKED);
            }
        }
    }

    @Test
    void statusListAlteredOnItsWay_isRefused_andReSignedByAnUnlistedKey_isRefused() throws Exception {
        CredentialVerifier.Result before = verifier(api(org1), List.of()).verify(genuine.json());
        assertThat(before.verdict()).as(before.reason()).isEqualTo(Verdict.VALID);

        // the credential's bit set by whoever stands between the verifier and the node: the node's signature breaks
        int index = (int) genuine.status().index();
        try (Relay relay = new Relay(org1, LIST, list -> withEncodedList(list, index))) {
            assertThatThrownBy(() -> verifier(relay.api(), List.of()).verify(genuine.json()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("status list /v1/status-lists/0 refused")
                    .hasMessageContaining("does not verify");
        }
        // the altered list signed again, by a key of no node in the trust file
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        String strangerDid = "did:web:" + host(org1).replace(":", "%3A");
        UnaryOperator<String> resigned = list -> DataIntegrity.sign(
                        Json.createObjectBuilder(parse(withEncodedList(list, index)))
                                .remove("proof")
                                .build(),
                        ProofSigner.eddsa(stranger, strangerDid + "#stranger"),
                        Instant.now(),
                        Contexts.bundled())
                .toString();
        try (Relay relay = new Relay(org1, LIST, resigned)) {
            assertThatThrownBy(() -> verifier(relay.api(), List.of()).verify(genuine.json()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("status list /v1/status-lists/0 refused")
                    .hasMessageContaining("not a node of the pinned trust file");
        }
        // the issuer's controller document mangled: no verdict on the credential (not an unknown signer)
        try (Relay relay = new Relay(org1, "/Org1MSP/did.json", document -> "")) {
            assertThatThrownBy(() -> verifier(relay.api(), List.of()).verify(genuine.json()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the node's controller document of Org1MSP is not a JSON object");
        }
    }

    // ---- helpers ----

    private static NodeApi api(LocalNode node) {
        return new NodeApi(URI.create(node.node.httpUrl()));
    }

    private static String host(LocalNode node) {
        return "localhost:" + URI.create(node.node.httpUrl()).getPort();
    }

    private CredentialVerifier verifier(NodeApi api, List<CredentialKey> keys) {
        return new CredentialVerifier(api, trust, keys, Contexts.bundled(), Clock.systemUTC());
    }

    /** @return the verdicts of both nodes (keys from the node) and of Org1's node with the pinned keys */
    private List<CredentialVerifier.Result> verifyEverywhere(String json) throws Exception {
        return List.of(
                verifier(api(org1), List.of()).verify(json),
                verifier(api(org2), List.of()).verify(json),
                verifier(api(org1), pinned).verify(json));
    }

    private IssuedCredential issue(Dossier dossier, TrainingRecord record, CredentialIssuer issuer, NodeApi api)
            throws Exception {
        AnchorReceipt anchored = dossier.anchor(record);
        awaitOnBothNodes(Commitment.fromHex(anchored.commitment()));
        return dossier.issueCredentials(
                        List.of(new CredentialIssuance.Anchored(record, Commitment.fromHex(anchored.commitment()))),
                        issuer,
                        api)
                .get(0);
    }

    private static JsonObject withoutProof(String json) throws Exception {
        return Json.createObjectBuilder(CredentialCheck.parse(json))
                .remove("proof")
                .build();
    }

    private static String sign(JsonObject unsigned, Ed25519PrivateKey key, String method) {
        return DataIntegrity.sign(unsigned, ProofSigner.eddsa(key, method), Instant.now(), Contexts.bundled())
                .toString();
    }

    /** Org2 anchors a credential's digest as a credential entry of its own, through its own node. */
    private void anchorAsOrg2(String json) throws Exception {
        Commitment digest = CredentialIssuer.digest(json);
        try (Gateway gateway = org2.gateway("Issuer")) {
            String entry = "{\"commitment\":\"" + digest + "\",\"kind\":\"credential\",\"schemaVersion\":1}";
            LocalNode.notary(gateway).submitTransaction("anchorBatch", "[" + entry + "]");
        }
        Optional<LedgerEntry> anchored = api(org2).status(digest);
        assertThat(anchored).isPresent();
        assertThat(anchored.get().mspId()).isEqualTo("Org2MSP");
        awaitOnBothNodes(digest);
    }

    private void awaitOnBothNodes(Commitment digest) throws Exception {
        for (LocalNode node : nodes) {
            for (int i = 0; i < 100 && api(node).status(digest).isEmpty(); i++) {
                Thread.sleep(100);
            }
            assertThat(api(node).status(digest))
                    .as(digest + " on " + node.mspId + "'s node")
                    .isPresent();
        }
    }

    private boolean awaitBit(NodeApi api, CredentialCheck.StatusEntry entry) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonObject list =
                    CredentialCheck.parse(api.document("/v1/status-lists/0").orElseThrow());
            if (CredentialCheck.revoked(list, entry, CredentialVerifier.nodeKeys(trust), Contexts.bundled())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** @return the list with only bit {@code index} set, its proof unchanged */
    private static String withEncodedList(String json, int index) {
        JsonObject list = parse(json);
        StatusList bits = StatusList.empty();
        bits.set(index);
        return Json.createObjectBuilder(list)
                .add(
                        "credentialSubject",
                        Json.createObjectBuilder(list.getJsonObject("credentialSubject"))
                                .add("encodedList", bits.encode()))
                .build()
                .toString();
    }

    private static JsonObject parse(String json) {
        try {
            return CredentialCheck.parse(json);
        } catch (ProofException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * An HTTP relay in front of a node that passes every answer on unchanged except one document, which it alters:
     * whoever stands between a verifier and the node (a proxy, a network, a node's own front end).
     */
    private static final class Relay implements AutoCloseable {
        private final HttpServer server;

        Relay(LocalNode node, String alteredPath, UnaryOperator<String> alter) throws IOException {
            HttpClient client = HttpClient.newHttpClient();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    // the request URI may be absolute (the HTTP server provider on the class path is Jetty's)
                    String path = exchange.getRequestURI().getRawPath();
                    HttpResponse<String> answer = client.send(
                            HttpRequest.newBuilder(URI.create(node.node.httpUrl() + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    String body = answer.body();
                    if (path.equals(alteredPath) && answer.statusCode() == 200) {
                        body = alter.apply(body);
                    }
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    answer.headers()
                            .firstValue("Content-Type")
                            .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                    exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                } catch (Exception e) {
                    throw new IOException(e);
                }
            });
            server.start();
        }

        NodeApi api() {
            return new NodeApi(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
