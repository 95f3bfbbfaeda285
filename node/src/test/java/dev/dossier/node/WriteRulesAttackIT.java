package dev.dossier.node;

import static dev.dossier.node.Forger.owner;
import static dev.dossier.node.Forger.put;
import static dev.dossier.node.Forger.writes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.node.Forger.Forgery;
import dev.dossier.node.identity.FabricAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dishonest member organisation against the commit-time write rules, on a two-node, two-organisation network. Org1
 * skips the contract: it takes a transaction its own node endorsed, replaces the write set with one of its choosing,
 * endorses that again with its own node's key, signs it with one of its own users and submits it, exactly what a
 * modified Org1 node could do. Every forgery must commit as {@code ENDORSEMENT_POLICY_FAILURE} on both nodes and
 * change nothing; the same forgery route with an honest write set commits VALID (so the rules refuse forgeries, not
 * the route).
 */
class WriteRulesAttackIT {
    private static final String NOTARY = "notary";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String POLICY_KEY = "\u0000policy\u0000";

    @TempDir
    static Path directory;

    private static TestCluster cluster;
    private static Forger forger;
    /** Org2's genuine entry, anchored through the contract on Org2's node. */
    private static String org2Entry;

    private static String subject;

    @BeforeAll
    static void startNetworkAndAnchorOrg2sEntry() throws Exception {
        cluster = new TestCluster(directory, 2);
        forger = new Forger(cluster);
        subject = FabricAttributes.decode(TestNetwork.certificate(
                        cluster.userNamed("Worker1@org1.dossier.local").certificate()))
                .get("dossier.subject");
        org2Entry = newCommitment();
        submit("Issuer@org2.dossier.local", "anchorRecord", record(org2Entry, subject));
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void entryInAnotherOrganisationsName_isRefused() throws Exception {
        String forged = newCommitment();
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String entry = entry(forged, "Org2MSP", issuerDn("Issuer@org2.dossier.local"), forgery.timestamp(), "active");

        TxValidationCode code = forgery.commit(writes(put(forged, entry), owner(forged, "Org2MSP")));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(forged);
    }

    @Test
    void entryWithAnotherOrganisationsKeyPolicy_orNone_isRefused() throws Exception {
        String noPolicy = newCommitment();
        Forgery first = forge("Issuer@org1.dossier.local");
        String entry = entry(noPolicy, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), first.timestamp(), "active");
        assertThat(first.commit(writes(put(noPolicy, entry))))
                .as("an entry without its owner's key policy")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        String givenAway = newCommitment();
        Forgery second = forge("Issuer@org1.dossier.local");
        String other = entry(givenAway, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), second.timestamp(), "active");
        assertThat(second.commit(writes(put(givenAway, other), owner(givenAway, "Org2MSP"))))
                .as("an entry whose key policy names another organisation")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(noPolicy);
        assertUnwritten(givenAway);
    }

    @Test
    void revocationOfAnotherOrganisationsEntry_isRefused() throws Exception {
        String before = status(org2Entry);
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String revoked = before.replace(
                "\"status\":\"active\"",
                "\"revocationReason\":\"fraud\",\"revokedAt\":\"" + forgery.timestamp() + "\",\"status\":\"revoked\"");
        assertThat(revoked).contains("fraud");

        TxValidationCode code = forgery.commit(writes(put(org2Entry, revoked)));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(status(org2Entry)).isEqualTo(before).contains("\"status\":\"active\"");
    }

    @Test
    void revocationTheRevocationListCannotRead_isRefused_evenOfTheOwnersEntry() throws Exception {
        String own = newCommitment();
        Forgery anchoring = forge("Issuer@org1.dossier.local");
        String entry = entry(own, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), anchoring.timestamp(), "active");
        assertThat(anchoring.commit(writes(put(own, entry), owner(own, "Org1MSP"))))
                .isEqualTo(TxValidationCode.VALID);
        String revoked = entry.replace("\"status\":\"active\"", "\"status\":\"revoked\"");

        // JSON followed by more: a lenient reader sees a revocation, a strict one (the revocation list) nothing
        TxValidationCode code = forge("Issuer@org1.dossier.local").commit(writes(put(own, revoked + " {}")));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(status(own)).isEqualTo(entry);
        assertThat(forge("Issuer@org1.dossier.local").commit(writes(put(own, revoked))))
                .as("the same revocation, by the same route, without the trailing text")
                .isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void correctionOfAnotherOrganisationsEntry_isRefused_atSimulation_andAtCommit() throws Exception {
        String before = status(org2Entry);
        String fix = newCommitment();
        String answer = new String(
                cluster.submit(
                        "Issuer@org1.dossier.local",
                        NOTARY,
                        "anchorBatch",
                        "[{\"commitment\":\"" + fix + "\",\"kind\":\"record\",\"supersedes\":\"" + org2Entry + "\"}]"),
                UTF_8);
        assertThat(answer)
                .as("the honest contract refuses it")
                .contains("\"outcome\":\"REFUSED\"", "is of Org2MSP: only its organisation can supersede it");
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String correction = entry(fix, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), forgery.timestamp(), "active")
                .replace("\"status\":\"active\"", "\"status\":\"active\",\"supersedes\":\"" + org2Entry + "\"");
        String superseded =
                before.replace("\"status\":\"active\"", "\"status\":\"superseded\",\"supersededBy\":\"" + fix + "\"");

        TxValidationCode code =
                forgery.commit(writes(put(fix, correction), owner(fix, "Org1MSP"), put(org2Entry, superseded)));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(status(org2Entry)).isEqualTo(before).contains("\"status\":\"active\"");
        assertUnwritten(fix);
    }

    @Test
    void correctionThatLeavesTheEntryItNamesActive_isRefused() throws Exception {
        String fix = newCommitment();
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String correction = entry(fix, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), forgery.timestamp(), "active")
                .replace("\"status\":\"active\"", "\"status\":\"active\",\"supersedes\":\"" + org2Entry + "\"");

        TxValidationCode code = forgery.commit(writes(put(fix, correction), owner(fix, "Org1MSP")));

        assertThat(code)
                .as("a correction claiming Org2's entry without the mark only Org2 can write")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(fix);
    }

    @Test
    void indexEntryInAWorkersDossier_forAnotherOrganisationsEntry_isRefused() throws Exception {
        String asOrg2 = "\u0000subject\u0000" + subject + "\u0000Org2MSP\u0000" + org2Entry + "\u0000";
        Forgery first = forge("Issuer@org1.dossier.local");
        assertThat(first.commit(writes(put(asOrg2.replace(org2Entry, newCommitment()), "\u0000"))))
                .as("an index key in Org2's name")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        String asOrg1 = "\u0000subject\u0000" + subject + "\u0000Org1MSP\u0000" + org2Entry + "\u0000";
        Forgery second = forge("Issuer@org1.dossier.local");
        assertThat(second.commit(writes(put(asOrg1, "\u0000"), owner(asOrg1, "Org1MSP"))))
                .as("an Org1 index key pointing at Org2's entry")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(asOrg1);
    }

    @Test
    void directWriteOfThePolicyKey_isRefused() throws Exception {
        String takeover = Files.readString(cluster.policyDocument()).replace("\"Org2MSP\"", "\"Org1MSP\"");
        Forgery forgery = forge("Admin@org1.dossier.local");

        TxValidationCode code = forgery.commit(writes(put(POLICY_KEY, takeover)));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(new String(cluster.evaluate("Auditor@org2.dossier.local", NOTARY, "getPolicy"), UTF_8))
                .contains("\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
    }

    @Test
    void backdatedEntry_isRefused_evenInItsOwnName() throws Exception {
        String backdated = newCommitment();
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String entry = entry(
                backdated,
                "Org1MSP",
                issuerDn("Issuer@org1.dossier.local"),
                Instant.parse("2019-01-01T00:00:00Z"),
                "active");

        assertThat(forgery.commit(writes(put(backdated, entry), owner(backdated, "Org1MSP"))))
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(backdated);
    }

    @Test
    void ownEntry_relabelledAsAnotherOrganisations_isRefused() throws Exception {
        String own = newCommitment();
        submit("Issuer@org1.dossier.local", "anchor", own, "record");
        String before = status(own);
        Forgery forgery = forge("Issuer@org1.dossier.local");

        TxValidationCode code = forgery.commit(writes(put(own, before.replace("Org1MSP", "Org2MSP"))));

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(status(own)).isEqualTo(before);
    }

    @Test
    void honestWriteSet_byTheSameRoute_isValid() throws Exception {
        String own = newCommitment();
        Forgery forgery = forge("Issuer@org1.dossier.local");
        String entry = entry(own, "Org1MSP", issuerDn("Issuer@org1.dossier.local"), forgery.timestamp(), "active");

        TxValidationCode code = forgery.commit(writes(put(own, entry), owner(own, "Org1MSP")));

        assertThat(code).isEqualTo(TxValidationCode.VALID);
        assertThat(status(own)).contains("\"mspId\":\"Org1MSP\"");
        String revoked = status(own).replace("\"status\":\"active\"", "\"status\":\"revoked\"");
        assertThat(forge("Issuer@org2.dossier.local", 1).commit(writes(put(own, revoked))))
                .as("and Org2's node cannot endorse a change of it")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    }

    private static String entry(String commitment, String mspId, String issuerId, Instant at, String status) {
        return "{\"anchoredAt\":\"" + at + "\",\"commitment\":\"" + commitment + "\",\"issuerId\":\"" + issuerId
                + "\",\"kind\":\"record\",\"mspId\":\"" + mspId + "\",\"schemaVersion\":1,\"status\":\"" + status
                + "\"}";
    }

    private static String issuerDn(String userName) throws Exception {
        return forger.subjectOf(userName);
    }

    private static Forgery forge(String userName) throws Exception {
        return forger.forge(userName);
    }

    private static Forgery forge(String userName, int nodeIndex) throws Exception {
        return forger.forge(userName, nodeIndex);
    }

    // ---- reading back

    private static void assertUnwritten(String key) {
        for (int node = 0; node < 2; node++) {
            assertThat(cluster.ledger(node).get(NOTARY, key))
                    .as("key on node " + node)
                    .isEmpty();
        }
    }

    /** @return the commitment's entry on Org1's node, which holds every block a step waited for */
    private static String status(String commitment) throws Exception {
        return new String(
                cluster.ledger(0).get(NOTARY, commitment).orElseThrow().value(), UTF_8);
    }

    private static void submit(String user, String function, String... args) throws Exception {
        cluster.submit(user, NOTARY, function, args);
    }

    private static String newCommitment() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String record(String commitment, String subjectPseudonym) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"subject\":\"" + subjectPseudonym + "\"}";
    }
}
