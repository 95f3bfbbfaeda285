package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.card.IssuedCard;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.client.transport.RevocationMemory;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardRevocations;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.revocation.RevocationListException;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed offline revocation list of a real node (gRPC gateway, RocksDB on disk, HTTP API): records with cards
 * revoked and superseded through the client library, a card entry revoked alone; {@code GET /v1/revocations} read
 * and verified against the node's trust file, full and as a delta; the verdicts a verifier offline draws from it; and
 * {@code dossier verify --card --offline} after an online check kept the list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationListIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Path directory;
    private LocalNode node;
    private NodeApi api;
    private TrustFile trust;
    private Path keys;
    private Path trustFile;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        directory = temporary;
        node = new LocalNode(directory.resolve("ledger"));
        api = new NodeApi(URI.create(node.node.httpUrl()));
        trust = api.trust();
        keys = Files.createDirectories(directory.resolve("keys"));
        trustFile = keys.resolve("trust.txt");
        Files.writeString(trustFile, trust.format());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    @Test
    void revocationsOfRecordsAndCards_areServedSigned_fullAndAsDeltas_andGiveOfflineVerdicts() throws Exception {
        IssuedCard revokedRecord;
        IssuedCard supersededRecord;
        IssuedCard revokedCard;
        IssuedCard valid;
        String newVersion;
        Instant before = Instant.now().minusSeconds(5);
        try (Gateway gateway = node.gateway("Issuer")) {
            Dossier dossier = Dossier.newInstance()
                    .contract(LocalNode.notary(gateway))
                    .saltKey(HmacKey.loadOrCreate(keys.resolve("issuer-salt.key")))
                    .cardIssuer(new CardIssuer(Pem.readPrivateKey(node.cardKeyFile()), node.cardKey))
                    .build();
            revokedRecord = dossier.issueCard(CardIT.record("REV-1", 1));
            supersededRecord = dossier.issueCard(CardIT.record("REV-2", 1));
            revokedCard = dossier.issueCard(CardIT.record("REV-3", 1));
            valid = dossier.issueCard(CardIT.record("REV-4", 1));
            dossier.revoke(Commitment.fromHex(revokedRecord.recordCommitment()), "issued_in_error");
            newVersion = dossier.supersede(
                            Commitment.fromHex(supersededRecord.recordCommitment()), CardIT.record("REV-2", 2))
                    .commitment();
            dossier.revoke(Commitment.fromHex(revokedCard.digest()), "withdrawn");
        }

        // an inspector's CLI checks a card online: the node's list is kept for offline use
        CliRun online = cli("verify", "--card", valid.text());
        assertThat(online.code()).as(online.text()).isZero();
        assertThat(online.text()).contains("revocation list kept for offline use: version 3");

        byte[] wire = api.revocations(0);
        RevocationList full = RevocationList.read(wire, trust);
        assertThat(full.version())
                .as("three changes: a record revoked, one superseded, a card revoked")
                .isEqualTo(3);
        assertThat(full.since()).isZero();
        assertThat(full.height()).isEqualTo(node.node.height());
        assertThat(full.time()).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(full.size()).isEqualTo(3);
        assertThat(full.statusOf(hex(revokedRecord.recordCommitment()))).isEqualTo(RevocationList.Status.REVOKED);
        assertThat(full.statusOf(hex(supersededRecord.recordCommitment()))).isEqualTo(RevocationList.Status.SUPERSEDED);
        assertThat(full.statusOf(hex(revokedCard.digest()))).isEqualTo(RevocationList.Status.REVOKED);
        assertThat(full.statusOf(hex(revokedRecord.digest())))
                .as("the card entry itself is active")
                .isNull();
        assertThat(full.statusOf(hex(newVersion))).isNull();
        assertThat(full.statusOf(hex(valid.recordCommitment()))).isNull();
        assertThat(wire.length).isLessThan(4 + 1024 + 3 * RevocationList.PREFIX_BYTES);

        CardVerifier verifier = new CardVerifier(trust.cardKeys());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        CardCheck check = CardRevocations.apply(verifier.verify(revokedRecord.text(), today), full);
        assertThat(check.verdict()).isEqualTo(Verdict.REVOKED);
        assertThat(check.online()).isFalse();
        assertThat(check.reason())
                .isEqualTo("the record is revoked on the revocation list of ledger height " + full.height() + " ("
                        + full.time() + ", version 3)");
        assertThat(CardRevocations.apply(verifier.verify(supersededRecord.text(), today), full)
                        .verdict())
                .isEqualTo(Verdict.SUPERSEDED);
        assertThat(CardRevocations.apply(verifier.verify(revokedCard.text(), today), full)
                        .reason())
                .startsWith("the card is revoked on the revocation list");
        CardCheck stillValid = CardRevocations.apply(verifier.verify(valid.text(), today), full);
        assertThat(stillValid.verdict()).isEqualTo(Verdict.VALID);
        assertThat(stillValid.reason())
                .endsWith("; not on the revocation list of ledger height " + full.height() + " (" + full.time()
                        + ", version 3)");

        // nothing changed since: an empty delta of the same version
        RevocationList none = RevocationList.read(api.revocations(3), trust);
        assertThat(none.since()).isEqualTo(3);
        assertThat(none.version()).isEqualTo(3);
        assertThat(none.size()).isZero();

        // the valid card's record revoked: the delta since 3 holds it alone
        try (Gateway gateway = node.gateway("Issuer")) {
            LocalNode.dossier(gateway, keys).revoke(Commitment.fromHex(valid.recordCommitment()), "withdrawn");
        }
        RevocationList delta = RevocationList.read(api.revocations(3), trust);
        assertThat(delta.since()).isEqualTo(3);
        assertThat(delta.version()).isEqualTo(4);
        assertThat(delta.size()).isEqualTo(1);
        assertThat(delta.statusOf(hex(valid.recordCommitment()))).isEqualTo(RevocationList.Status.REVOKED);
        RevocationList synced = full.applying(delta);
        assertThat(synced.size()).isEqualTo(4);
        assertThat(CardRevocations.apply(verifier.verify(valid.text(), today), synced)
                        .verdict())
                .isEqualTo(Verdict.REVOKED);
        RevocationList fullNow = RevocationList.read(api.revocations(0), trust);
        assertThat(fullNow.version()).isEqualTo(4);
        assertThat(fullNow.stored()).isEqualTo(synced.stored());

        // before syncing again, the CLI offline still has version 3: the card shows VALID, with the list's age
        CliRun stale = cli("verify", "--card", valid.text(), "--offline");
        assertThat(stale.code()).isZero();
        assertThat(stale.text()).contains("not on the revocation list of ledger height");
        // an online check syncs the delta; offline, the card revoked before that sync is REVOKED
        assertThat(cli("verify", "--card", valid.text()).text()).contains("REVOKED", "version 4");
        CliRun offline = cli("verify", "--card", valid.text(), "--offline");
        assertThat(offline.code()).isEqualTo(4);
        assertThat(offline.text()).contains("REVOKED", "the record is revoked on the revocation list", "version 4)");
        assertThat(RevocationMemory.at(keys.resolve("revocations"))
                        .load(trust.origin())
                        .orElseThrow()
                        .version())
                .isEqualTo(4);

        // bad requests get clear errors
        HttpResponse<String> ahead = get("/v1/revocations?since=99");
        assertThat(ahead.statusCode()).isEqualTo(409);
        assertThat(ahead.body()).contains("since 99 is beyond this node's list, at version 4");
        for (String bad : List.of("?since=-1", "?since=01", "?since=1&since=2", "?from=1")) {
            HttpResponse<String> response = get("/v1/revocations" + bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).contains("?since=<version>");
        }
        assertThat(get("/v1/revocations").headers().firstValue("Content-Type"))
                .hasValue("application/vnd.dossier.revocations.v1");
    }

    @Test
    void listFromAnotherConsortiumsNode_isRefused() throws Exception {
        // a trust file of the same origin whose node key is another: the node's list is not accepted
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        NoteVerifier.Key other = new NoteVerifier.Key(
                trust.keys().get(0).name(), generator.generateKeyPair().getPublic());
        TrustFile stranger = new TrustFile(trust.origin(), 1, List.of(other), trust.cardKeys());
        assertThatThrownBy(() -> RevocationList.read(api.revocations(0), stranger))
                .isInstanceOf(RevocationListException.class)
                .hasMessageContaining("not signed by a node of the trust file");
        assertThatThrownBy(() -> RevocationMemory.at(directory.resolve("other")).sync(api, stranger))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not used: revocation list refused");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(node.node.httpUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private CliRun cli(String... command) {
        return CliRun.of(
                List.of(command),
                "--trust",
                trustFile.toString(),
                "--node-url",
                node.node.httpUrl(),
                "--config-dir",
                keys.toString());
    }
}
