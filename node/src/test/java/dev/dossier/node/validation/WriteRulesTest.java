package dev.dossier.node.validation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.StateView;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The write rules on their own, against a state held in maps: what the attack test checks through real nodes. */
class WriteRulesTest {
    private static final String NS = "notary";
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final String ISSUER = "CN=Issuer@org1.dossier.local,OU=client,O=org1.dossier.local,C=IT";
    private static final String C1 = "1".repeat(64);
    private static final String SUBJECT = "a".repeat(64);
    private static final WriteRules RULES = new WriteRules(NS, List.of("Org1MSP", "Org2MSP", "Org3MSP"));
    private static final Signers ORG1 = new Signers("Org1MSP", ISSUER, AT, List.of("Org1MSP"));

    private final Map<String, byte[]> values = new HashMap<>();
    private final Map<String, Map<String, ByteString>> metadata = new HashMap<>();
    private final StateView state = new StateView() {
        @Override
        public Optional<byte[]> value(String namespace, String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public Map<String, ByteString> metadata(String namespace, String key) {
            return metadata.getOrDefault(key, Map.of());
        }

        @Override
        public boolean metadataChangedInBlock(String namespace, String key) {
            return false;
        }
    };

    private static String entry(String mspId) {
        return "{\"anchoredAt\":\"" + AT + "\",\"commitment\":\"" + C1 + "\",\"issuerId\":\"" + ISSUER
                + "\",\"kind\":\"record\",\"mspId\":\"" + mspId + "\",\"schemaVersion\":1,\"status\":\"active\"}";
    }

    private static KeyWrite put(String key, String value, String owner) {
        return new KeyWrite(
                NS,
                key,
                KeyWrite.Change.PUT,
                value.getBytes(UTF_8),
                owner == null
                        ? Optional.empty()
                        : Optional.of(Map.of(
                                KeyWrite.VALIDATION_PARAMETER,
                                SignaturePolicies.ownedBy(owner).toByteString())));
    }

    /** Gives a committed key the key-level policy "a node of {@code mspId}". */
    private void owned(String key, String mspId) {
        metadata.put(
                key,
                Map.of(
                        KeyWrite.VALIDATION_PARAMETER,
                        SignaturePolicies.ownedBy(mspId).toByteString()));
    }

    private Optional<String> check(Signers signers, KeyWrite... writes) {
        return RULES.check(signers).violation(List.of(writes), state);
    }

    @Test
    void newEntryInTheCreatorsName_withItsPolicy_byItsOwnNode_isAllowed() {
        assertThat(check(ORG1, put(C1, entry("Org1MSP"), "Org1MSP"))).isEmpty();
    }

    @Test
    void newEntry_mustBeAnchoredAtTheTransactionsTime_howeverTheInstantIsWritten() {
        String sameInstantOtherText = entry("Org1MSP").replace(AT.toString(), "2026-12-06T10:00:00.000000Z");
        String secondLater = entry("Org1MSP").replace(AT.toString(), "2026-12-06T10:00:01Z");
        Signers later = new Signers("Org1MSP", ISSUER, AT.plusSeconds(1), List.of("Org1MSP"));

        assertThat(check(ORG1, put(C1, sameInstantOtherText, "Org1MSP"))).isEmpty();
        assertThat(check(ORG1, put(C1, secondLater, "Org1MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("says it was anchored at"));
        assertThat(check(later, put(C1, secondLater, "Org1MSP"))).isEmpty();
        assertThat(check(later, put(C1, entry("Org1MSP"), "Org1MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("says it was anchored at"));
        assertThat(check(ORG1, put(C1, entry("Org1MSP"), "Org1MSP"))).isEmpty();
    }

    @Test
    void newEntryWithADuplicateMember_isRefused_soNoReaderSeesAnotherOrganisation() {
        String twoOwners = entry("Org1MSP").replace("\"kind\"", "\"mspId\":\"Org2MSP\",\"kind\"");

        assertThat(check(ORG1, put(C1, twoOwners, "Org1MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("is not a JSON object"));
    }

    @Test
    void valueWithContentAfterItsObject_isRefused_soNoReaderParsesItOtherwise() {
        assertThat(check(ORG1, put(C1, entry("Org1MSP") + " x", "Org1MSP")))
                .as("a new entry followed by more text")
                .hasValueSatisfying(reason -> assertThat(reason).contains("is not a JSON object"));

        values.put(C1, entry("Org1MSP").getBytes(UTF_8));
        owned(C1, "Org1MSP");
        String revoked = entry("Org1MSP").replace("\"active\"", "\"revoked\"");
        assertThat(check(ORG1, put(C1, revoked + " {}", null)))
                .as("a revocation the revocation list could not read")
                .isPresent();
        assertThat(check(ORG1, put(C1, revoked + " \n", null)))
                .as("white space after the object is not content")
                .isEmpty();
    }

    @Test
    void newEntryEndorsedOnlyByAnotherOrganisation_isRefused() {
        Signers org1EndorsedByOrg2 = new Signers("Org1MSP", ISSUER, AT, List.of("Org2MSP"));

        assertThat(check(org1EndorsedByOrg2, put(C1, entry("Org1MSP"), "Org1MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("needs an endorsement by a node of Org1MSP"));
    }

    @Test
    void otherKeys_needAMajority_twoOfThree() {
        KeyWrite policy = put("\u0000policy\u0000", "{}", null);

        assertThat(check(ORG1, policy))
                .hasValueSatisfying(reason -> assertThat(reason).contains("majority (2 of 3)"));
        assertThat(check(new Signers("Org1MSP", ISSUER, AT, List.of("Org1MSP", "Org3MSP")), policy))
                .isEmpty();
        assertThat(check(new Signers("Org1MSP", ISSUER, AT, List.of("Org1MSP", "Org1MSP")), policy))
                .as("two nodes of one organisation are one organisation")
                .isPresent();
    }

    @Test
    void indexKey_mustPointAtAnEntryOfItsOwnOrganisation() {
        String index = "\u0000subject\u0000" + SUBJECT + "\u0000Org1MSP\u0000" + C1 + "\u0000";
        values.put(C1, entry("Org2MSP").getBytes(UTF_8));
        owned(C1, "Org2MSP");

        assertThat(check(ORG1, put(index, "\u0000", "Org1MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("the entry is of \"Org2MSP\""));
        assertThat(NotaryRule.claimant(index, "Org3MSP")).hasValue("Org1MSP");
        assertThat(NotaryRule.claimant(index.replace("\u0000Org1MSP\u0000", "\u0000\u0000"), "Org3MSP"))
                .as("an index key without an organisation is not the notary's")
                .isEmpty();
    }

    @Test
    void existingEntry_keepsWhatWasAnchored_andIsNeverDeleted() {
        values.put(C1, entry("Org1MSP").getBytes(UTF_8));
        owned(C1, "Org1MSP");

        assertThat(check(ORG1, put(C1, entry("Org1MSP").replace("\"active\"", "\"revoked\""), null)))
                .as("a revocation by the owner")
                .isEmpty();
        assertThat(check(ORG1, put(C1, entry("Org1MSP").replace("\"record\"", "\"certificate\""), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("'kind' was anchored and cannot change"));
        assertThat(check(ORG1, new KeyWrite(NS, C1, KeyWrite.Change.DELETE, null, Optional.empty())))
                .hasValueSatisfying(reason -> assertThat(reason).contains("entries are permanent"));
    }

    @Test
    void correction_mustMarkTheEntryItSupersedes_andOnlyItsOwnerCanMarkIt() {
        String c2 = "2".repeat(64);
        String correction =
                entry("Org1MSP").replace(C1, c2).replace("\"status\"", "\"supersedes\":\"" + C1 + "\",\"status\"");
        String superseded = entry("Org1MSP")
                .replace("\"status\":\"active\"", "\"status\":\"superseded\",\"supersededBy\":\"" + c2 + "\"");

        values.put(C1, entry("Org1MSP").getBytes(UTF_8));
        owned(C1, "Org1MSP");
        assertThat(check(ORG1, put(c2, correction, "Org1MSP"), put(C1, superseded, null)))
                .as("the correction and the link, by the owner")
                .isEmpty();
        assertThat(check(ORG1, put(c2, correction, "Org1MSP")))
                .as("a correction that leaves the entry it names active")
                .hasValueSatisfying(reason -> assertThat(reason).contains("does not mark that entry superseded"));
        assertThat(check(ORG1, put(c2, correction, "Org1MSP"), put(C1, entry("Org1MSP"), null)))
                .as("a correction whose link is not written")
                .hasValueSatisfying(reason -> assertThat(reason).contains("does not mark that entry superseded"));

        values.put(C1, entry("Org2MSP").getBytes(UTF_8));
        owned(C1, "Org2MSP");
        assertThat(check(ORG1, put(c2, correction, "Org1MSP"), put(C1, superseded.replace("Org1MSP", "Org2MSP"), null)))
                .as("Org1 correcting Org2's entry")
                .hasValueSatisfying(reason -> assertThat(reason).contains("needs endorsements satisfying"));
    }

    // ---- delegated drafting (DelegationRule): the changes DelegationAttackIT does not reach through the contract

    private static final String DRAFT = "\u0000draft\u0000" + C1 + "\u0000";
    private static final String DELEGATION = "\u0000delegation\u0000P-1\u0000Org1MSP\u0000Org2MSP\u0000";

    private static String draft(String status, String extra) {
        return "{\"anchoredAt\":\"2026-12-01T10:00:00Z\",\"commitment\":\"" + C1 + "\",\"draftedBy\":\"Org2MSP\","
                + "\"issuerId\":\"CN=Drafter\",\"kind\":\"record\",\"module\":\"M1\",\"mspId\":\"Org1MSP\","
                + "\"project\":\"P-1\"," + extra + "\"schemaVersion\":1,\"status\":\"" + status + "\"}";
    }

    private static KeyWrite delete(String key) {
        return new KeyWrite(NS, key, KeyWrite.Change.DELETE, null, Optional.empty());
    }

    @Test
    void pendingDraft_becomesRejectedOnly_atTheTransactionsTime_keepingWhatWasDrafted() {
        values.put(DRAFT, draft("pending", "").getBytes(UTF_8));
        owned(DRAFT, "Org1MSP");
        String rejection = "\"rejectedAt\":\"" + AT + "\",\"rejectionReason\":\"incomplete\",";

        assertThat(check(ORG1, put(DRAFT, draft("rejected", rejection), null))).isEmpty();
        assertThat(check(
                        ORG1,
                        put(DRAFT, draft("rejected", rejection.replace(AT.toString(), "2020-01-01T00:00:00Z")), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("at the transaction's time"));
        assertThat(check(ORG1, put(DRAFT, draft("rejected", rejection).replace("\"M1\"", "\"M2\""), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("'module' was drafted and cannot change"));
        assertThat(check(ORG1, put(DRAFT, draft("active", ""), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("changes only into a rejected one"));
        assertThat(check(ORG1, delete(DRAFT)))
                .as("a draft removed without the entry its validation anchors")
                .hasValueSatisfying(
                        reason -> assertThat(reason).contains("removed only by the transaction that validates"));

        values.put(DRAFT, draft("rejected", rejection).getBytes(UTF_8));
        assertThat(check(ORG1, put(DRAFT, draft("pending", ""), null)))
                .as("a rejected draft made pending again")
                .hasValueSatisfying(reason -> assertThat(reason).contains("only a pending draft may change"));
    }

    @Test
    void delegation_keepsItsIssuerProjectAndProvider_andIsNeverDeleted() {
        String active = "{\"grantedAt\":\"2026-12-01T10:00:00Z\",\"issuer\":\"Org1MSP\",\"modules\":[\"M1\"],"
                + "\"project\":\"P-1\",\"provider\":\"Org2MSP\",\"status\":\"active\"}";
        values.put(DELEGATION, active.getBytes(UTF_8));
        owned(DELEGATION, "Org1MSP");

        assertThat(check(ORG1, put(DELEGATION, active.replace("\"active\"", "\"withdrawn\""), null)))
                .isEmpty();
        assertThat(check(
                        ORG1,
                        put(DELEGATION, active.replace("\"provider\":\"Org2MSP\"", "\"provider\":\"Org3MSP\""), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("as its key does"));
        assertThat(check(ORG1, put(DELEGATION, active.replace("\"active\"", "\"forever\""), null)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("status must be active or withdrawn"));
        assertThat(check(ORG1, delete(DELEGATION)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("never deleted"));
        assertThat(check(ORG1, put(DELEGATION, active, "Org2MSP")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("cannot change"));
    }
}
