package dev.dossier.node;

import static dev.dossier.node.Forger.delete;
import static dev.dossier.node.Forger.owner;
import static dev.dossier.node.Forger.put;
import static dev.dossier.node.Forger.writes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.Forger.Forgery;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegated drafting against dishonest organisations, on a two-node network: Org1MSP is the issuer, which delegates
 * project {@value #PROJECT} (module {@value #MODULE}) to the training provider Org2MSP and withdrew its delegation of
 * {@value #WITHDRAWN}. Each forgery ({@link Forger}: a write set of the dishonest organisation's choosing, endorsed by
 * its own node) must commit as {@code ENDORSEMENT_POLICY_FAILURE} on both nodes and change nothing; the honest route
 * and the same forgery route with an honest write set commit VALID.
 */
class DelegationAttackIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PROJECT = "P-2025-07";
    private static final String WITHDRAWN = "P-2024-01";
    private static final String MODULE = "SIC-GEN-4H";
    private static final String PROVIDER = "Issuer@org2.dossier.local";

    @TempDir
    static Path directory;

    private static TestCluster cluster;
    private static Forger forger;

    @BeforeAll
    static void startNetworkAndDelegate() throws Exception {
        cluster = new TestCluster(directory, 2);
        forger = new Forger(cluster);
        submit("Delegate@org1.dossier.local", "grantDelegation", PROJECT, "Org2MSP", "[\"" + MODULE + "\"]");
        submit("Admin@org1.dossier.local", "grantDelegation", WITHDRAWN, "Org2MSP", "[\"" + MODULE + "\"]");
        submit("Delegate@org1.dossier.local", "withdrawDelegation", WITHDRAWN, "Org2MSP");
    }

    @AfterAll
    static void stopNetwork() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void draft_honestOrForgedWithTheDelegationInForce_isPending_neverAnchored() throws Exception {
        String honest = newCommitment();
        assertThat(submit(PROVIDER, "draftBatch", "Org1MSP", PROJECT, "[" + request(honest, MODULE) + "]"))
                .contains("\"outcome\":\"DRAFTED\"");
        String forged = newCommitment();

        TxValidationCode code = forgeDraft(forged, PROJECT, MODULE, "Org1MSP");

        assertThat(code).isEqualTo(TxValidationCode.VALID);
        for (String commitment : new String[] {honest, forged}) {
            assertThat(status(commitment))
                    .contains("\"status\":\"pending\"", "\"mspId\":\"Org1MSP\"", "\"draftedBy\":\"Org2MSP\"");
            assertThat(cluster.ledger(0).get("notary", commitment))
                    .as("a draft is not anchored")
                    .isEmpty();
        }
    }

    @Test
    void draftWithoutDelegation_isRefused_atSimulation_andAtCommit() throws Exception {
        assertThatThrownBy(() -> submit(
                        PROVIDER, "draftBatch", "Org1MSP", "P-NONE", "[" + request(newCommitment(), MODULE) + "]"))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(TestNetwork.refusal(e))
                                .contains("Org2MSP has no delegation in force from Org1MSP for project P-NONE"));
        String forged = newCommitment();

        TxValidationCode code = forgeDraft(forged, "P-NONE", MODULE, "Org1MSP");

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(draftKey(forged));
    }

    @Test
    void draftAfterWithdrawal_isRefused_atSimulation_andAtCommit() throws Exception {
        assertThatThrownBy(() -> submit(
                        PROVIDER, "draftBatch", "Org1MSP", WITHDRAWN, "[" + request(newCommitment(), MODULE) + "]"))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(TestNetwork.refusal(e)).contains("no delegation in force", "withdrawn at"));
        String forged = newCommitment();

        TxValidationCode code = forgeDraft(forged, WITHDRAWN, MODULE, "Org1MSP");

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(draftKey(forged));
    }

    @Test
    void draftOfAModuleNotDelegated_isRefused_atSimulation_andAtCommit() throws Exception {
        String refused = newCommitment();
        assertThat(submit(PROVIDER, "draftBatch", "Org1MSP", PROJECT, "[" + request(refused, "SIC-RB-8H") + "]"))
                .contains("\"outcome\":\"REFUSED\"", "module SIC-RB-8H of project " + PROJECT + " is not delegated");
        String forged = newCommitment();

        TxValidationCode code = forgeDraft(forged, PROJECT, "SIC-RB-8H", "Org1MSP");

        assertThat(code).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(draftKey(forged));
        assertUnwritten(draftKey(refused));
    }

    @Test
    void draftThatTheProviderKeepsForItself_isRefused() throws Exception {
        String forged = newCommitment();

        TxValidationCode code = forgeDraft(forged, PROJECT, MODULE, "Org2MSP");

        assertThat(code)
                .as("a draft whose key policy is the provider's, so that it could validate it itself")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(draftKey(forged));
    }

    @Test
    void provider_cannotValidateItsOwnDraft_norMakeAValidEntryInTheIssuersName() throws Exception {
        String commitment = newCommitment();
        submit(PROVIDER, "draftBatch", "Org1MSP", PROJECT, "[" + request(commitment, MODULE) + "]");
        String pending = status(commitment);
        assertThat(submit("Admin@org2.dossier.local", "validateDrafts", PROJECT, "[\"" + commitment + "\"]"))
                .as("the honest contract refuses the provider's operator")
                .contains("\"outcome\":\"REFUSED\"", "drafted for Org1MSP: only Org1MSP can validate or reject it");

        Forgery asIssuer = forger.forge(PROVIDER);
        String inIssuersName = validated(commitment, "Org1MSP", PROVIDER, asIssuer.timestamp());
        assertThat(asIssuer.commit(writes(
                        put(commitment, inIssuersName), owner(commitment, "Org1MSP"), delete(draftKey(commitment)))))
                .as("a validated entry in the issuer's name, by the provider")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        Forgery asItself = forger.forge(PROVIDER);
        String inOwnName = validated(commitment, "Org2MSP", PROVIDER, asItself.timestamp());
        assertThat(asItself.commit(
                        writes(put(commitment, inOwnName), owner(commitment, "Org2MSP"), delete(draftKey(commitment)))))
                .as("its own draft validated in its own name")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        Forgery rewrite = forger.forge(PROVIDER);
        assertThat(rewrite.commit(writes(
                        put(draftKey(commitment), pending.replace("\"status\":\"pending\"", "\"status\":\"active\"")))))
                .as("its draft rewritten as active")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);

        assertUnwritten(commitment);
        assertThat(status(commitment)).isEqualTo(pending);
    }

    @Test
    void validation_byTheIssuersDelegate_anchorsTheDraft_whoseFactsTheIssuerCannotRewrite() throws Exception {
        String commitment = newCommitment();
        submit(PROVIDER, "draftBatch", "Org1MSP", PROJECT, "[" + request(commitment, MODULE) + "]");

        assertThat(submit("Delegate@org1.dossier.local", "validateDrafts", PROJECT, "[\"" + commitment + "\"]"))
                .contains("\"outcome\":\"VALIDATED\"", "\"validated\":1");
        String entry = status(commitment);
        assertThat(entry)
                .contains(
                        "\"status\":\"active\"",
                        "\"mspId\":\"Org1MSP\"",
                        "\"draftedBy\":\"Org2MSP\"",
                        "\"project\":\"" + PROJECT + "\"");
        assertUnwritten(draftKey(commitment));

        for (String[] change : new String[][] {
            {"\"draftedBy\":\"Org2MSP\"", "\"draftedBy\":\"Org3MSP\""},
            {"\"project\":\"" + PROJECT + "\"", "\"project\":\"P-OTHER\""},
            {"\"module\":\"" + MODULE + "\"", "\"module\":\"SIC-RB-8H\""},
            {"\"status\":\"active\"", "\"status\":\"pending\""}
        }) {
            Forgery forgery = forger.forge("Issuer@org1.dossier.local");
            assertThat(forgery.commit(writes(put(commitment, entry.replace(change[0], change[1])))))
                    .as("the issuer rewrites " + change[0])
                    .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        }
        assertThat(status(commitment)).isEqualTo(entry);
    }

    @Test
    void issuer_cannotClaimADraftNobodyMade_norValidateARejectedOne() throws Exception {
        String invented = newCommitment();
        Forgery forgery = forger.forge("Issuer@org1.dossier.local");
        assertThat(forgery.commit(writes(
                        put(invented, validated(invented, "Org1MSP", "Issuer@org1.dossier.local", forgery.timestamp())),
                        owner(invented, "Org1MSP"))))
                .as("an entry saying Org2MSP drafted it, without a draft")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(invented);

        String rejected = newCommitment();
        submit(PROVIDER, "draftBatch", "Org1MSP", PROJECT, "[" + request(rejected, MODULE) + "]");
        assertThat(submit(
                        "Admin@org1.dossier.local",
                        "rejectDrafts",
                        PROJECT,
                        "[{\"commitment\":\"" + rejected + "\",\"reason\":\"assessment_failed\"}]"))
                .contains("\"outcome\":\"REJECTED\"");
        assertThat(status(rejected)).contains("\"status\":\"rejected\"", "\"rejectionReason\":\"assessment_failed\"");
        assertThat(submit("Delegate@org1.dossier.local", "validateDrafts", PROJECT, "[\"" + rejected + "\"]"))
                .contains("\"outcome\":\"REFUSED\"", "reason assessment_failed");
        Forgery late = forger.forge("Issuer@org1.dossier.local");
        assertThat(late.commit(writes(
                        put(rejected, validated(rejected, "Org1MSP", "Issuer@org1.dossier.local", late.timestamp())),
                        owner(rejected, "Org1MSP"),
                        delete(draftKey(rejected)))))
                .as("a rejected draft validated around the contract")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(rejected);
    }

    @Test
    void provider_cannotGrantItselfADelegation_norRestoreAWithdrawnOne() throws Exception {
        String key = delegationKey("P-SELF");
        Forgery grant = forger.forge(PROVIDER);
        assertThat(grant.commit(
                        writes(put(key, delegation("P-SELF", "active", grant.timestamp())), owner(key, "Org1MSP"))))
                .as("a delegation in Org1MSP's name, by Org2MSP")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertUnwritten(key);

        String withdrawn = delegationKey(WITHDRAWN);
        byte[] before = cluster.ledger(0).get("notary", withdrawn).orElseThrow().value();
        Forgery restore = forger.forge(PROVIDER);
        assertThat(restore.commit(writes(put(withdrawn, delegation(WITHDRAWN, "active", restore.timestamp())))))
                .as("the withdrawn delegation put back in force by the provider")
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(new String(
                        cluster.ledger(0).get("notary", withdrawn).orElseThrow().value(), UTF_8))
                .isEqualTo(new String(before, UTF_8))
                .contains("\"status\":\"withdrawn\"");
    }

    /** Forges, on the provider's node, a draft of {@code commitment} whose key policy names {@code policyOrg}. */
    private static TxValidationCode forgeDraft(String commitment, String project, String module, String policyOrg)
            throws Exception {
        Forgery forgery = forger.forge(PROVIDER);
        return forgery.commit(writes(
                put(draftKey(commitment), draft(commitment, project, module, forgery.timestamp())),
                owner(draftKey(commitment), policyOrg)));
    }

    // ---- values

    private static String draftKey(String commitment) {
        return "\u0000draft\u0000" + commitment + "\u0000";
    }

    private static String delegationKey(String project) {
        return "\u0000delegation\u0000" + project + "\u0000Org1MSP\u0000Org2MSP\u0000";
    }

    private static String delegation(String project, String status, Instant at) {
        return "{\"grantedAt\":\"" + at + "\",\"issuer\":\"Org1MSP\",\"modules\":[\"" + MODULE + "\"],\"project\":\""
                + project + "\",\"provider\":\"Org2MSP\",\"status\":\"" + status + "\"}";
    }

    /** A draft of {@code commitment} for Org1MSP by the provider's issuer, as the contract writes one. */
    private static String draft(String commitment, String project, String module, Instant at) throws Exception {
        return "{\"anchoredAt\":\"" + at + "\",\"commitment\":\"" + commitment + "\",\"draftedBy\":\"Org2MSP\","
                + "\"issuerId\":\"" + forger.subjectOf(PROVIDER) + "\",\"kind\":\"record\",\"module\":\"" + module
                + "\",\"mspId\":\"Org1MSP\",\"project\":\"" + project + "\",\"schemaVersion\":1,"
                + "\"status\":\"pending\"}";
    }

    /** The active entry a validation of {@code commitment}'s draft writes, by {@code user} of {@code mspId}. */
    private static String validated(String commitment, String mspId, String user, Instant at) throws Exception {
        return "{\"anchoredAt\":\"" + at + "\",\"commitment\":\"" + commitment + "\",\"draftedBy\":\"Org2MSP\","
                + "\"issuerId\":\"" + forger.subjectOf(user) + "\",\"kind\":\"record\",\"module\":\"" + MODULE
                + "\",\"mspId\":\"" + mspId + "\",\"project\":\"" + PROJECT + "\",\"schemaVersion\":1,"
                + "\"status\":\"active\"}";
    }

    private static String request(String commitment, String module) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"module\":\"" + module + "\"}";
    }

    // ---- calls and reading back

    /** Submits as {@code user} through its organisation's node; the next call may go through the other node. */
    private static String submit(String user, String function, String... args) throws Exception {
        return new String(cluster.submit(user, "notary", function, args), UTF_8);
    }

    /** @return the commitment's entry or draft as an auditor of Org1MSP reads it */
    private static String status(String commitment) throws Exception {
        return new String(cluster.evaluate("Auditor@org1.dossier.local", "notary", "status", commitment), UTF_8);
    }

    private static void assertUnwritten(String key) {
        for (int node = 0; node < 2; node++) {
            assertThat(cluster.ledger(node).get("notary", key))
                    .as("key on node " + node)
                    .isEmpty();
        }
    }

    private static String newCommitment() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
