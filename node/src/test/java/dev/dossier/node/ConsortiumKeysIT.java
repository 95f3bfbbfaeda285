package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.log.CheckpointSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys a verifier pins come from the consortium on the ledger, on a three-organisation network (a majority is
 * two): every node serves at {@code /v1/keys} the checkpoint keys of the consortium's nodes in force and its card keys,
 * and at {@code /<MSP id>/did.json} its credential keys; a key voted in is served by every node from the next block, a
 * key voted out by none, and a key an organisation's node lists in its own files but the ledger does not is served by
 * no node, so what it signs is an unknown signer for every node's keys. A node voted out no longer cosigns: the other
 * nodes refuse to cosign what it signs and their checkpoints are cosigned without it, while the trust file keeps the
 * keys of before as an earlier key set, for checkpoints up to the log's size at the vote. The tests run in order on
 * one network.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsortiumKeysIT {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path directory;

    private static TestCluster cluster;
    private static final P256PrivateKey CARD_KEY = P256PrivateKey.generate();
    private static final CardKey CARD = new CardKey(
            "Org1MSP",
            TODAY.minusDays(1),
            TODAY.plusYears(1),
            CARD_KEY.publicKey().subjectPublicKeyInfo());
    private static final CredentialKey CREDENTIAL = new CredentialKey(
            "Org1MSP",
            TODAY.minusDays(1),
            TODAY.plusYears(1),
            new VerificationKey.Ed25519(Ed25519PrivateKey.generate().publicKey()));
    /** A card of a fresh record signed with {@link #CARD_KEY}. */
    private static String card;
    /** The commitment log's size when the vote that removes Org3's node committed. */
    private static long sizeBeforeRemoval;

    @BeforeAll
    static void startNetwork() throws Exception {
        cluster = new TestCluster(directory, 3);
        card = CardBindingAttackIT.sign(CARD_KEY, "Org1MSP", TestNetwork.newCommitment());
    }

    @Test
    @Order(1)
    void everyNode_servesTheCheckpointKeysOfTheConsortiumsNodes_andCosignsTheirCheckpoints() throws Exception {
        List<String> names = new ArrayList<>();
        List<Integer> keyIds = new ArrayList<>();
        for (Consortium.Node node : cluster.consortium.nodes()) {
            names.add(node.name());
            keyIds.add(NoteVerifier.keyId(
                    TestNetwork.certificate(node.certificate()).getPublicKey()));
        }
        for (int node = 0; node < 3; node++) {
            TrustFile trust = keys(node);
            assertThat(trust.origin()).isEqualTo("dossier/dossier/notary");
            assertThat(trust.cosigners()).as("a strict majority of 3").isEqualTo(2);
            assertThat(trust.keys()).extracting(NoteVerifier.Key::name).containsExactlyElementsOf(names);
            assertThat(trust.keys()).extracting(NoteVerifier.Key::keyId).containsExactlyElementsOf(keyIds);
            assertThat(trust.cardKeys()).isEmpty();
        }
        anchor();
        assertThat(cosignRequest(2, 0).statusCode())
                .as("node 0 cosigns what node 2, a node of the consortium, signed")
                .isEqualTo(200);
    }

    @Test
    @Order(2)
    void keysAddedByVote_areServedByEveryNode_fromTheBlockThatAppliesTheVote() throws Exception {
        ConsortiumDocument current = cluster.consortiumInForce();
        JsonNode proposed = cluster.vote(
                "Admin@org1.dossier.local",
                "propose",
                json(
                        current,
                        org -> org.mspId().equals("Org1MSP")
                                ? org.withKeys(List.of(CARD.line()), List.of(CREDENTIAL.line()))
                                : org));
        assertThat(proposed.get("applied").asBoolean()).isFalse();
        for (int node = 0; node < 3; node++) {
            assertThat(keys(node).cardKeys())
                    .as("a proposal short of a majority")
                    .isEmpty();
            assertThat(verify(card, node)).isEqualTo(Verdict.UNKNOWN_SIGNER);
            assertThat(get(node, "/Org1MSP/did.json").statusCode()).isEqualTo(404);
        }

        JsonNode approved = cluster.vote(
                "Admin@org2.dossier.local", "approve", proposed.get("hash").asText());

        assertThat(approved.get("applied").asBoolean()).isTrue();
        for (int node = 0; node < 3; node++) {
            assertThat(keys(node).cardKeys()).as("node " + node).containsExactly(CARD);
            assertThat(verify(card, node)).as("node " + node).isEqualTo(Verdict.VALID);
            HttpResponse<String> did = get(node, "/Org1MSP/did.json");
            assertThat(did.statusCode()).isEqualTo(200);
            assertThat(did.body())
                    .contains(CREDENTIAL.fragment(), CREDENTIAL.key().multibase());
        }
    }

    @Test
    @Order(3)
    void keysANodeListsInItsOwnFiles_butTheLedgerDoesNot_areServedByNoNode() throws Exception {
        Path files = Files.createDirectories(directory.resolve("org3-files"));
        CardKey planted = OrganisationKeys.CARDS.add(files, "Org1MSP", TODAY.minusDays(1), TODAY.plusDays(30));
        CredentialKey plantedCredential =
                OrganisationKeys.CREDENTIALS.add(files, "Org1MSP", TODAY.minusDays(1), TODAY.plusDays(30));
        String forged = CardBindingAttackIT.sign(
                dev.dossier.crypto.Pem.readPrivateKey(OrganisationKeys.CARDS.privateKeyFile(files, planted)),
                "Org1MSP",
                TestNetwork.newCommitment());
        // Org3's operator restarts its node with key files of its own making
        cluster.stop(2);
        cluster.settings.set(
                2,
                cluster.settings.get(2).toBuilder()
                        .cardKeys(files.resolve(OrganisationKeys.CARDS.fileName()))
                        .build());
        cluster.start(2);
        cluster.awaitAllCaughtUp();

        for (int node = 0; node < 3; node++) {
            assertThat(keys(node).cardKeys()).as("node " + node).containsExactly(CARD);
            assertThat(verify(forged, node)).as("node " + node).isEqualTo(Verdict.UNKNOWN_SIGNER);
            assertThat(get(node, "/Org1MSP/did.json").body())
                    .as("node " + node)
                    .doesNotContain(plantedCredential.fragment());
        }
    }

    @Test
    @Order(4)
    void keyRemovedByVote_isServedByNoNode_andWhatItSigned_isAnUnknownSigner() throws Exception {
        String network = directory.resolve("network").toString();
        String hash = proposeByCli("Admin@org3.dossier.local", "remove-key", "--key-id", CARD.keyIdHex());
        assertThat(TestNetwork.cli("network", "proposals", "--network", network, "--user", "Admin@org1.dossier.local"))
                .contains(hash, "- card key " + CARD.keyIdHex() + " of Org1MSP");

        String approved = TestNetwork.cli(
                "network", "approve", "--network", network, "--user", "Admin@org1.dossier.local", "--hash", hash);

        assertThat(approved).contains("applied");
        cluster.awaitAllCaughtUp();
        for (int node = 0; node < 3; node++) {
            assertThat(keys(node).cardKeys()).as("node " + node).isEmpty();
            assertThat(verify(card, node)).as("node " + node).isEqualTo(Verdict.UNKNOWN_SIGNER);
            assertThat(get(node, "/Org1MSP/did.json").body())
                    .as("the credential key stays")
                    .contains(CREDENTIAL.fragment());
        }
    }

    @Test
    @Order(5)
    void keyAddedByTheCommandLine_isServedByEveryNode_onceApproved() throws Exception {
        String hash = proposeByCli(
                "Admin@org2.dossier.local",
                "add-key",
                "--kind",
                "credential",
                "--org",
                "Org2MSP",
                "--from",
                TODAY.minusDays(1).toString(),
                "--to",
                TODAY.plusYears(2).toString());
        List<CredentialKey> made = OrganisationKeys.CREDENTIALS.load(
                directory.resolve("network").resolve(OrganisationKeys.CREDENTIALS.fileName()));
        CredentialKey added = made.get(made.size() - 1);
        assertThat(added.organisation()).isEqualTo("Org2MSP");
        assertThat(OrganisationKeys.CREDENTIALS.privateKeyFile(directory.resolve("network"), added))
                .isRegularFile();
        assertThat(get(0, "/Org2MSP/did.json").statusCode()).isEqualTo(404);

        TestNetwork.cli(
                "network",
                "approve",
                "--network",
                directory.resolve("network").toString(),
                "--user",
                "Admin@org3.dossier.local",
                "--hash",
                hash);

        cluster.awaitAllCaughtUp();
        for (int node = 0; node < 3; node++) {
            assertThat(get(node, "/Org2MSP/did.json").body()).as("node " + node).contains(added.fragment());
        }
    }

    @Test
    @Order(6)
    void nodeRemovedByVote_isNoLongerACosigner_andWhatItSigns_isNotCosigned() throws Exception {
        String removed = cluster.consortium.nodes().get(2).name();
        ConsortiumDocument current = cluster.consortiumInForce();
        JsonNode proposed = cluster.vote(
                "Admin@org1.dossier.local",
                "propose",
                json(current, org -> org.mspId().equals("Org3MSP") ? org.withNodes(List.of()) : org));

        cluster.awaitAllCaughtUp();
        sizeBeforeRemoval = cluster.nodes[0].commitmentLog().size();
        JsonNode approved = cluster.vote(
                "Admin@org2.dossier.local", "approve", proposed.get("hash").asText());

        assertThat(approved.get("applied").asBoolean()).isTrue();
        List<String> remaining = List.of(
                cluster.consortium.nodes().get(0).name(),
                cluster.consortium.nodes().get(1).name());
        for (int node = 0; node < 2; node++) {
            TrustFile trust = keys(node);
            assertThat(trust.keys()).extracting(NoteVerifier.Key::name).containsExactlyElementsOf(remaining);
            assertThat(trust.cosigners()).as("both of the two nodes").isEqualTo(2);
        }
        HttpResponse<String> refused = cosignRequest(2, 0);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("not a checkpoint signed by a node of the consortium");

        long size = anchor();
        TrustFile trust = keys(1);
        SignedNote latest = TestCluster.awaitCheckpoint(cluster.nodes[0], size);
        assertThat(trust.verifier().verify(latest)).containsExactlyInAnyOrderElementsOf(remaining);
        assertThat(latest.signatures()).extracting(NoteSignature::keyName).doesNotContain(removed);
    }

    @Test
    @Order(7)
    void checkpointCosignedBeforeTheRemoval_verifiesWithTheKeysServedAfterIt_upToTheLogsSizeAtTheChange()
            throws Exception {
        List<String> before =
                cluster.consortium.nodes().stream().map(Consortium.Node::name).toList();
        TrustFile trust = keys(0);
        assertThat(keys(1).format()).as("both nodes serve the same trust file").isEqualTo(trust.format());
        assertThat(trust.earlier()).hasSize(1);
        TrustFile.Earlier earlier = trust.earlier().get(0);
        assertThat(earlier.maxSize()).isEqualTo(sizeBeforeRemoval).isPositive();
        assertThat(earlier.cosigners())
                .as("a strict majority of the three nodes")
                .isEqualTo(2);
        assertThat(earlier.keys()).extracting(NoteVerifier.Key::name).containsExactlyElementsOf(before);

        // a checkpoint of then, cosigned by Org1's node and the node voted out since (Org2's being down, say)
        SignedNote ofThen = signedBy(sizeBeforeRemoval, before.get(0), before.get(2));
        assertThatThrownBy(() -> trust.verifier().verify(ofThen))
                .as("the keys in force alone refuse it: one signature of the two required")
                .isInstanceOf(NoteException.class);
        assertThat(trust.verifyCheckpoint(ofThen)).containsExactlyInAnyOrder(before.get(0), before.get(2));

        // the same two keys over a later size: the node voted out no longer counts
        anchor();
        SignedNote later = signedBy(sizeBeforeRemoval + 1, before.get(0), before.get(2));
        assertThatThrownBy(() -> trust.verifyCheckpoint(later))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("none covers a checkpoint of " + (sizeBeforeRemoval + 1) + " leaves");
    }

    // ---- helpers

    /** @return the checkpoint of node 0's log at {@code size}, signed by the named nodes' keys */
    private static SignedNote signedBy(long size, String... names) throws Exception {
        String text = new Checkpoint(
                        "dossier/dossier/notary",
                        size,
                        cluster.nodes[0].commitmentLog().root(size),
                        Instant.now().getEpochSecond())
                .text();
        List<NoteSignature> signatures = new ArrayList<>();
        for (String name : names) {
            signatures.addAll(new CheckpointSigner(cluster.consortium.signer(name), name)
                    .signNote(text)
                    .signatures());
        }
        return SignedNote.of(text, signatures);
    }

    /** @return the hash of the proposal a {@code dossier network} command made as {@code user}'s vote */
    private static String proposeByCli(String user, String command, String... options) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "network", command, "--network", directory.resolve("network").toString(), "--user", user));
        args.addAll(List.of(options));
        String printed = TestNetwork.cli(args.toArray(String[]::new));
        String hash = printed.replaceAll("(?s).*proposal ([0-9a-f]{64}) has 1 of the 2 votes.*", "$1");
        assertThat(hash).as(printed).hasSize(64);
        cluster.awaitAllCaughtUp(); // the next voter's node must hold this vote
        return hash;
    }

    /** @return the consortium document with each organisation changed, at the next sequence, as a proposal's text */
    private static String json(ConsortiumDocument current, UnaryOperator<ConsortiumDocument.Organisation> change) {
        return new String(
                current.with(
                                current.sequence() + 1,
                                current.organisations().stream().map(change).toList())
                        .toJson(),
                UTF_8);
    }

    /** @return the trust file node {@code node} serves */
    private static TrustFile keys(int node) throws Exception {
        HttpResponse<String> answer = get(node, "/v1/keys");
        assertThat(answer.statusCode()).isEqualTo(200);
        return TrustFile.parse(answer.body());
    }

    /** @return the card's offline verdict with the card keys node {@code node} serves */
    private static Verdict verify(String text, int node) throws Exception {
        return new CardVerifier(keys(node).cardKeys()).verify(text, TODAY).verdict();
    }

    private static HttpResponse<String> get(int node, String path) throws Exception {
        return TestCluster.httpGet(cluster.nodes[node], path);
    }

    /** Node {@code signer} signs a checkpoint of its own log and asks node {@code to} to cosign it. */
    private static HttpResponse<String> cosignRequest(int signer, int to) throws Exception {
        cluster.awaitAllCaughtUp();
        String name = cluster.consortium.nodes().get(signer).name();
        SignedNote note = new CheckpointSigner(cluster.consortium.signer(name), name)
                .sign(
                        "dossier/dossier/notary",
                        cluster.nodes[signer].commitmentLog(),
                        Instant.now().getEpochSecond());
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(cluster.nodes[to].httpUrl() + "/v1/checkpoint/cosign"))
                        .POST(HttpRequest.BodyPublishers.ofString(note.format()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Anchors a fresh commitment as Org1's issuer; @return node 0's log size once node 0 and 1 hold it (node 2, voted
     * out by {@link #nodeRemovedByVote_isNoLongerACosigner_andWhatItSigns_isNotCosigned}, receives no more blocks)
     */
    private static long anchor() throws Exception {
        try (Gateway gateway = cluster.gatewayOf("Issuer@org1.dossier.local")) {
            TestNetwork.notary(gateway).submitTransaction("anchor", TestNetwork.newCommitment(), "record");
        }
        TestCluster.awaitCaughtUp(List.of(cluster.nodes[0], cluster.nodes[1]));
        return cluster.nodes[0].commitmentLog().size();
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }
}
