package dev.dossier.node.chaincode;

import static dev.dossier.node.chaincode.InMemoryState.kv;
import static dev.dossier.node.chaincode.TestIdentities.identity;
import static dev.dossier.node.chaincode.TestIdentities.invocation;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NotaryContract through the node's runtime and an in-memory world state: entries, batches, roles, governance. */
class NotaryContractTest {
    private static final String CC = "notary";
    private static final String SUBJECT_A = "a1".repeat(32);
    private static final String SUBJECT_B = "b2".repeat(32);
    private static final Map<String, ByteString> IDENTITIES = new HashMap<>();

    private static ChaincodeRuntime runtime;

    private final InMemoryState state = new InMemoryState();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong commitments = new AtomicLong();

    @BeforeAll
    static void load() throws ChaincodeLoadException {
        runtime = ChaincodeRuntime.load(CC, null);
    }

    /** An identity of {@code mspId} with role {@code role} (none if null) and, for workers, a subject. */
    private static synchronized ByteString who(String mspId, String role, String subject) {
        String key = mspId + "/" + role + "/" + subject;
        return IDENTITIES.computeIfAbsent(key, k -> {
            Map<String, String> attributes = new HashMap<>();
            if (role != null) {
                attributes.put("dossier.role", role);
            }
            if (subject != null) {
                attributes.put("dossier.subject", subject);
            }
            return identity(mspId, (role == null ? "nobody" : role) + "." + mspId, attributes);
        });
    }

    private static ByteString who(String mspId, String role) {
        return who(mspId, role, null);
    }

    private String newCommitment() {
        return HexFormat.of().toHexDigits(commitments.incrementAndGet()) + "0".repeat(48);
    }

    private Simulation call(ByteString caller, String... args) {
        return runtime.simulate(state, invocation(caller, "tx-" + blocks.get() + "-" + args[0], args));
    }

    /** Calls, expects success, commits the writes as the next block, and returns the payload. */
    private String ok(ByteString caller, String... args) {
        Simulation s = call(caller, args);
        assertThat(s.response().getStatus()).as(s.response().getMessage()).isEqualTo(200);
        long block = blocks.incrementAndGet();
        state.commit(
                s, block, 0, "tx" + block, Instant.parse("2025-03-01T10:00:00Z").plusSeconds(block));
        return s.response().getPayload().toStringUtf8();
    }

    /** Calls, expects a business error with {@code code}, and returns the message. */
    private String fails(String code, ByteString caller, String... args) {
        Simulation s = call(caller, args);
        assertThat(s.response().getStatus())
                .as(s.response().getPayload().toStringUtf8())
                .isEqualTo(500);
        assertThat(s.response().getPayload().toStringUtf8())
                .as(s.response().getMessage())
                .isEqualTo(code);
        assertThat(s.readWriteSet().getNsRwsetList())
                .as("a refusal writes nothing")
                .isEmpty();
        return s.response().getMessage();
    }

    private static String record(String commitment, String subject) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\""
                + (subject == null ? "" : ",\"subject\":\"" + subject + "\"") + "}";
    }

    private static String policyDocument() throws Exception {
        return Files.readString(Path.of("../network-config/policy.json"));
    }

    private static String policyFor(String... mspIds) throws Exception {
        return withOrganisations(policyDocument(), mspIds);
    }

    private static String withOrganisations(String document, String... mspIds) {
        return document.replace(
                "\"organisations\": []", "\"organisations\": [\"" + String.join("\",\"", mspIds) + "\"]");
    }

    // ---- entries

    @Test
    void anchorRecord_storesMetadata_indexesTheSubject_andEmitsEvent() {
        String c = newCommitment();
        Simulation s = call(
                who("Org1MSP", "issuer"),
                "anchorRecord",
                "{\"commitment\":\"" + c.toUpperCase()
                        + "\",\"kind\":\"certificate\",\"schemaVersion\":3,\"validUntil\":\"2030-06-30\",\"subject\":\""
                        + SUBJECT_A.toUpperCase() + "\"}");

        assertThat(s.response().getPayload().toStringUtf8())
                .isEqualTo("{\"anchoredAt\":\"2025-03-01T09:30:00.123Z\","
                        + "\"commitment\":\"" + c
                        + "\",\"issuerId\":\"O=Org1MSP,CN=issuer.Org1MSP\",\"kind\":\"certificate\","
                        + "\"mspId\":\"Org1MSP\",\"schemaVersion\":3,\"status\":\"active\",\"subject\":\"" + SUBJECT_A
                        + "\",\"validUntil\":\"2030-06-30\"}");
        assertThat(kv(s.readWriteSet()).getWritesList())
                .extracting(KVWrite::getKey)
                .containsExactlyInAnyOrder(c, "\u0000subject\u0000" + SUBJECT_A + "\u0000Org1MSP\u0000" + c + "\u0000");
        assertThat(s.event().getEventName()).isEqualTo("Anchored");
    }

    @Test
    void anchorRecord_personalDataOrMalformedMember_isInvalidArgument() {
        ByteString issuer = who("Org1MSP", "issuer");
        String c = newCommitment();

        assertThat(fails(
                        "INVALID_ARGUMENT",
                        issuer,
                        "anchorRecord",
                        "{\"commitment\":\"" + c + "\",\"kind\":\"record\",\"name\":\"Mario Rossi\"}"))
                .isEqualTo("unknown member 'name'");
        assertThat(fails(
                        "INVALID_ARGUMENT",
                        issuer,
                        "anchorRecord",
                        "{\"commitment\":\"" + c + "\",\"kind\":\"record\",\"validUntil\":\"2030-02-30\"}"))
                .contains("validUntil");
        assertThat(fails("INVALID_ARGUMENT", issuer, "anchorRecord", "{\"commitment\":\"" + c + "\""))
                .startsWith("entry: malformed JSON");
    }

    @Test
    void anchor_sameOrgAgain_isNoOp_otherOrg_alreadyAnchored() {
        String c = newCommitment();
        String first = ok(who("Org1MSP", "issuer"), "anchor", c, "record");

        Simulation again = call(who("Org1MSP", "employer"), "anchorRecord", record(c, SUBJECT_A));
        assertThat(again.response().getPayload().toStringUtf8()).isEqualTo(first);
        assertThat(kv(again.readWriteSet()).getWritesList()).isEmpty();
        assertThat(fails("ALREADY_ANCHORED", who("Org2MSP", "issuer"), "anchor", c, "record"))
                .isEqualTo("commitment " + c + " is already anchored by Org1MSP");
    }

    @Test
    void anchorBatch_reportsEachOutcomeInInputOrder_andWritesOnlyTheAnchored() {
        String mine = newCommitment();
        String theirs = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchor", mine, "record");
        ok(who("Org2MSP", "issuer"), "anchor", theirs, "record");
        String fresh = newCommitment();
        String fresh2 = newCommitment();
        String batch = "["
                + String.join(
                        ",",
                        record(fresh, SUBJECT_A),
                        record(mine, null),
                        record(theirs, null),
                        record(fresh.toUpperCase(), null),
                        "{\"commitment\":\"" + fresh2
                                + "\",\"kind\":\"record\",\"schemaVersion\":2,\"validUntil\":null}")
                + "]";

        Simulation s = call(who("Org1MSP", "employer"), "anchorBatch", batch);

        assertThat(s.response().getPayload().toStringUtf8())
                .isEqualTo("{\"alreadyAnchored\":2,\"anchored\":2,"
                        + "\"results\":["
                        + "{\"commitment\":\"" + fresh + "\",\"outcome\":\"ANCHORED\"},"
                        + "{\"commitment\":\"" + mine
                        + "\",\"outcome\":\"ALREADY_ANCHORED\",\"reason\":\"already anchored by Org1MSP\"},"
                        + "{\"commitment\":\"" + theirs
                        + "\",\"outcome\":\"CONFLICT\",\"reason\":\"already anchored by Org2MSP\"},"
                        + "{\"commitment\":\"" + fresh
                        + "\",\"outcome\":\"ALREADY_ANCHORED\",\"reason\":\"already anchored by Org1MSP\"},"
                        + "{\"commitment\":\"" + fresh2 + "\",\"outcome\":\"ANCHORED\"}]}");
        assertThat(kv(s.readWriteSet()).getWritesList())
                .extracting(KVWrite::getKey)
                .containsExactlyInAnyOrder(
                        fresh, fresh2, "\u0000subject\u0000" + SUBJECT_A + "\u0000Org1MSP\u0000" + fresh + "\u0000");
        assertThat(s.event()).isNull();
    }

    @Test
    void anchorBatch_withAnyMalformedEntry_failsWhole_namingEachBadEntry_soNothingReachesABlock() {
        String good = newCommitment();
        String other = newCommitment();
        String batch = "["
                + String.join(
                        ",",
                        record(good, SUBJECT_A),
                        "{\"commitment\":\"xyz\",\"kind\":\"record\"}",
                        "{\"commitment\":\"" + other + "\",\"kind\":\"Record\"}",
                        "{\"commitment\":\"" + other + "\",\"kind\":\"record\",\"schemaVersion\":0}",
                        "{\"commitment\":\"" + other + "\",\"kind\":\"record\",\"subject\":\"fiscal code\"}",
                        "{\"commitment\":\"" + other + "\",\"kind\":\"record\",\"givenName\":\"Maria\"}",
                        "42",
                        "{\"kind\":\"record\"}")
                + "]";

        assertThat(fails("INVALID_ARGUMENT", who("Org1MSP", "employer"), "anchorBatch", batch))
                .isEqualTo("7 malformed entries, nothing anchored: "
                        + "entry 1: commitment must be 64 hexadecimal digits; "
                        + "entry 2: kind must match [a-z][a-z0-9._-]{0,31}; "
                        + "entry 3: schemaVersion must be a positive integer; "
                        + "entry 4: subject must be a pseudonym of 64 hexadecimal digits; "
                        + "entry 5: unknown member 'givenName'; "
                        + "entry 6: entry must be a JSON object; "
                        + "entry 7: commitment must be 64 hexadecimal digits");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            many.append(i > 0 ? "," : "").append("{}");
        }
        assertThat(fails("INVALID_ARGUMENT", who("Org1MSP", "employer"), "anchorBatch", many + "]"))
                .startsWith("12 malformed entries, nothing anchored: entry 0: ")
                .endsWith("; and 2 more");
    }

    @Test
    void anchorBatch_malformedArrayOrTooMany_failsTheWholeTransaction() {
        ByteString issuer = who("Org1MSP", "issuer");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= 5000; i++) {
            tooMany.append(i > 0 ? "," : "").append("{}");
        }

        assertThat(fails("INVALID_ARGUMENT", issuer, "anchorBatch", "[" + record(newCommitment(), null)))
                .startsWith("entries: malformed JSON at offset");
        assertThat(fails("INVALID_ARGUMENT", issuer, "anchorBatch", record(newCommitment(), null)))
                .isEqualTo("entries must be a JSON array of entry objects");
        assertThat(fails(
                        "INVALID_ARGUMENT",
                        issuer,
                        "anchorBatch",
                        tooMany.append(']').toString()))
                .isEqualTo("a batch holds at most 5000 entries, got 5001");
        assertThat(call(issuer, "anchorBatch", "[]").response().getPayload().toStringUtf8())
                .isEqualTo("{\"alreadyAnchored\":0,\"anchored\":0,\"results\":[]}");
    }

    /**
     * The largest batch a call may hold, simulated whole: every entry and its subject index written. Its speed is the
     * bulk benchmarks' business ({@code bench-bulk}), not a timed assertion here.
     */
    @Test
    void anchorBatch_ofFiveThousand_writesEveryEntryAndItsSubjectIndex() {
        Simulation s = call(who("Org1MSP", "issuer"), "anchorBatch", batchOf(5000));
        assertThat(kv(s.readWriteSet()).getWritesCount()).isEqualTo(10_000);
    }

    private static String batchOf(int n) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            String c = HexFormat.of().toHexDigits((long) i) + "f".repeat(48);
            batch.append(i > 0 ? "," : "")
                    .append("{\"commitment\":\"")
                    .append(c)
                    .append("\",\"kind\":\"record\",\"schemaVersion\":1,\"validUntil\":\"2030-06-30\",\"subject\":\"")
                    .append(i % 2 == 0 ? SUBJECT_A : SUBJECT_B)
                    .append("\"}");
        }
        return batch.append(']').toString();
    }

    // ---- revoke, supersede, history

    @Test
    void revoke_ownEntry_withReason_idempotent_andOnlyByTheIssuingOrganisation() {
        String c = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchor", c, "record");

        assertThat(fails("PERMISSION_DENIED", who("Org2MSP", "issuer"), "revoke", c, "fraud"))
                .isEqualTo("role 'issuer' of Org2MSP may not call 'revoke' on an entry of Org1MSP");
        assertThat(fails("INVALID_ARGUMENT", who("Org1MSP", "employer"), "revoke", c, "he quit"))
                .startsWith("reason code must be one of [issued_in_error, fraud, withdrawn");
        assertThat(fails("NOT_FOUND", who("Org1MSP", "employer"), "revoke", newCommitment(), "fraud"))
                .endsWith("is not anchored");
        String revoked = ok(who("Org1MSP", "employer"), "revoke", c, "issued_in_error");
        assertThat(revoked)
                .contains(
                        "\"revocationReason\":\"issued_in_error\"",
                        "\"revokedAt\":\"2025-03-01T09:30:00.123Z\"",
                        "\"status\":\"revoked\"");
        Simulation again = call(who("Org1MSP", "issuer"), "revoke", c, "fraud");
        assertThat(again.response().getPayload().toStringUtf8()).isEqualTo(revoked);
        assertThat(kv(again.readWriteSet()).getWritesList()).isEmpty();
    }

    @Test
    void supersede_linksBothEntries_andHistoryShowsEveryChange() {
        ByteString issuer = who("Org1MSP", "issuer");
        String old = newCommitment();
        String replacement = newCommitment();
        ok(issuer, "anchor", old, "record");
        ok(issuer, "anchor", replacement, "record");

        String superseded = ok(issuer, "supersede", old, replacement);

        assertThat(superseded).contains("\"status\":\"superseded\"", "\"supersededBy\":\"" + replacement + "\"");
        assertThat(ok(issuer, "status", replacement))
                .contains("\"status\":\"active\"", "\"supersedes\":\"" + old + "\"");
        Simulation again = call(issuer, "supersede", old, replacement);
        assertThat(again.response().getPayload().toStringUtf8())
                .as("repeating is a no-op")
                .isEqualTo(superseded);
        assertThat(kv(again.readWriteSet()).getWritesList()).isEmpty();
        String history = ok(who("Org2MSP", "inspector"), "history", old);
        assertThat(history)
                .startsWith("[{\"delete\":false,\"timestamp\":\"2025-03-01T10:00:03Z\",\"txId\":\"tx3\"," + "\"value\":"
                        + superseded.replace("\"issuerId\":\"O=Org1MSP,CN=issuer.Org1MSP\",", "")
                        + "},{\"delete\":false,\"timestamp\":\"2025-03-01T10:00:01Z\"")
                .as("an inspector does not see the issuing person")
                .doesNotContain("issuerId");
        ok(issuer, "revoke", old, "fraud");
        assertThat(ok(issuer, "status", old)).contains("\"status\":\"revoked\"", "\"supersededBy\":\"" + replacement);
    }

    private static String correction(String commitment, String old) {
        return "[{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"supersedes\":\"" + old + "\"}]";
    }

    @Test
    void anchorBatch_correction_anchorsAndSupersedesInOneTransaction_onceOnly() throws Exception {
        ByteString issuer = who("Org1MSP", "issuer");
        String old = newCommitment();
        String fix = newCommitment();
        ok(issuer, "anchor", old, "record");

        Simulation first = call(issuer, "anchorBatch", correction(fix, old));
        assertThat(kv(first.readWriteSet()).getWritesList())
                .extracting(w -> w.getKey())
                .as("the correction and the mark on the old entry, in one write set")
                .containsExactlyInAnyOrder(fix, old);
        String answer = ok(issuer, "anchorBatch", correction(fix, old));

        assertThat(answer)
                .isEqualTo("{\"alreadyAnchored\":0,\"anchored\":1,\"results\":[{\"commitment\":\"" + fix
                        + "\",\"outcome\":\"SUPERSEDED\"}],\"superseded\":1}");
        assertThat(ok(issuer, "status", old)).contains("\"status\":\"superseded\"", "\"supersededBy\":\"" + fix + "\"");
        assertThat(ok(issuer, "status", fix)).contains("\"status\":\"active\"", "\"supersedes\":\"" + old + "\"");
        Simulation again = call(issuer, "anchorBatch", correction(fix, old));
        assertThat(again.response().getPayload().toStringUtf8()).contains("\"outcome\":\"ALREADY_SUPERSEDED\"");
        assertThat(kv(again.readWriteSet()).getWritesList())
                .as("a re-run writes nothing")
                .isEmpty();
        assertThat(ok(who("Org1MSP", "auditor"), "history", old)).contains("\"txId\":\"tx1\"", "\"txId\":\"tx2\"");
    }

    @Test
    void anchorBatch_correction_refusals_writeNothingOfThatEntry() {
        ByteString issuer = who("Org1MSP", "issuer");
        String revoked = newCommitment();
        String others = newCommitment();
        String old = newCommitment();
        ok(issuer, "anchor", revoked, "record");
        ok(issuer, "revoke", revoked, "fraud");
        ok(who("Org2MSP", "issuer"), "anchor", others, "record");
        ok(issuer, "anchor", old, "record");
        String missing = newCommitment();
        String first = newCommitment();
        String second = newCommitment();
        String[] fixes = {newCommitment(), newCommitment(), newCommitment()};
        String batch = "["
                + correction(fixes[0], revoked)
                        .substring(1, correction(fixes[0], revoked).length() - 1)
                + ","
                + correction(fixes[1], others)
                        .substring(1, correction(fixes[1], others).length() - 1)
                + ","
                + correction(fixes[2], missing)
                        .substring(1, correction(fixes[2], missing).length() - 1)
                + ","
                + correction(first, old).substring(1, correction(first, old).length() - 1)
                + ","
                + correction(second, old).substring(1, correction(second, old).length() - 1) + "]";

        Simulation s = call(issuer, "anchorBatch", batch);

        String answer = s.response().getPayload().toStringUtf8();
        assertThat(answer)
                .contains("\"reason\":\"entry " + revoked + " is revoked, not active\"")
                .contains("\"reason\":\"entry " + others + " is of Org2MSP: only its organisation can supersede it\"")
                .contains("\"reason\":\"entry " + missing + " is not anchored\"")
                .contains("\"reason\":\"entry " + old + " is superseded by " + first + " earlier in this batch\"")
                .contains("\"anchored\":1,");
        assertThat(kv(s.readWriteSet()).getWritesList())
                .extracting(w -> w.getKey())
                .filteredOn(k -> k.length() == 64)
                .containsExactlyInAnyOrder(first, old);
        assertThat(fails(
                        "PERMISSION_DENIED",
                        who("Org1MSP", "worker", SUBJECT_A),
                        "anchorBatch",
                        correction(first, old)))
                .startsWith("role 'worker' of Org1MSP may not call 'anchorBatch'");
        assertThat(fails(
                        "INVALID_ARGUMENT",
                        issuer,
                        "anchorRecord",
                        correction(first, old)
                                .substring(1, correction(first, old).length() - 1)))
                .contains("anchorRecord takes no supersedes");
    }

    @Test
    void revokeBatch_revokesOwnEntries_reportsEachOutcome_andRefusesMalformedWhole() {
        ByteString issuer = who("Org1MSP", "issuer");
        String mine = newCommitment();
        String before = newCommitment();
        String others = newCommitment();
        String missing = newCommitment();
        ok(issuer, "anchor", mine, "record");
        ok(issuer, "anchor", before, "record");
        ok(issuer, "revoke", before, "fraud");
        ok(who("Org2MSP", "issuer"), "anchor", others, "record");
        String list = "[{\"commitment\":\"" + mine + "\",\"reason\":\"withdrawn\"},{\"commitment\":\"" + before
                + "\",\"reason\":\"other\"},{\"commitment\":\"" + others + "\",\"reason\":\"fraud\"},{\"commitment\":\""
                + missing + "\",\"reason\":\"fraud\"},{\"commitment\":\"" + mine + "\",\"reason\":\"other\"}]";

        String answer = ok(issuer, "revokeBatch", list);

        assertThat(answer)
                .isEqualTo("{\"alreadyRevoked\":2,\"results\":[{\"commitment\":\"" + mine
                        + "\",\"outcome\":\"REVOKED\"},{\"commitment\":\"" + before
                        + "\",\"outcome\":\"ALREADY_REVOKED\"},{\"commitment\":\"" + others
                        + "\",\"outcome\":\"REFUSED\",\"reason\":\"entry " + others
                        + " is of Org2MSP: only its organisation can revoke it\"},{\"commitment\":\"" + missing
                        + "\",\"outcome\":\"REFUSED\",\"reason\":\"entry " + missing
                        + " is not anchored\"},{\"commitment\":\""
                        + mine + "\",\"outcome\":\"ALREADY_REVOKED\"}],\"revoked\":1}");
        assertThat(ok(issuer, "status", mine)).contains("\"revocationReason\":\"withdrawn\"", "\"status\":\"revoked\"");
        assertThat(ok(issuer, "status", before)).contains("\"revocationReason\":\"fraud\"");
        assertThat(ok(issuer, "status", others)).contains("\"status\":\"active\"");
        assertThat(fails(
                        "INVALID_ARGUMENT",
                        issuer,
                        "revokeBatch",
                        "[{\"commitment\":\"" + others + "\",\"reason\":\"because\"}]"))
                .contains("revocation 0: reason code must be one of");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "inspector"), "revokeBatch", "[]"))
                .isEqualTo("role 'inspector' of Org1MSP may not call 'revokeBatch'");
    }

    @Test
    void supersede_refusals() {
        ByteString issuer = who("Org1MSP", "issuer");
        String a = newCommitment();
        String b = newCommitment();
        String c = newCommitment();
        String other = newCommitment();
        ok(issuer, "anchor", a, "record");
        ok(issuer, "anchor", b, "record");
        ok(issuer, "anchor", c, "record");
        ok(who("Org2MSP", "issuer"), "anchor", other, "record");

        assertThat(fails("INVALID_ARGUMENT", issuer, "supersede", a, a.toUpperCase()))
                .contains("itself");
        assertThat(fails("NOT_FOUND", issuer, "supersede", a, newCommitment())).endsWith("is not anchored");
        assertThat(fails("PERMISSION_DENIED", issuer, "supersede", a, other))
                .isEqualTo("role 'issuer' of Org1MSP may not call 'supersede' on an entry of Org2MSP");
        ok(issuer, "supersede", a, b);
        assertThat(fails("INVALID_STATE", issuer, "supersede", a, c))
                .isEqualTo("entry " + a + " is superseded, not active");
        assertThat(fails("INVALID_STATE", issuer, "supersede", c, b))
                .isEqualTo("entry " + b + " already supersedes " + a);
        ok(issuer, "revoke", c, "withdrawn");
        assertThat(fails("INVALID_STATE", issuer, "supersede", b, c))
                .isEqualTo("entry " + c + " is revoked, not active");
    }

    @Test
    void history_scopes_ownOrgOwnSubjectAny() {
        String c = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchorRecord", record(c, SUBJECT_A));

        assertThat(ok(who("Org1MSP", "employer"), "history", c)).startsWith("[{");
        assertThat(ok(who("Org2MSP", "worker", SUBJECT_A), "history", c)).startsWith("[{");
        assertThat(ok(who("Org2MSP", "auditor"), "history", c)).startsWith("[{");
        assertThat(fails("PERMISSION_DENIED", who("Org2MSP", "employer"), "history", c))
                .isEqualTo("role 'employer' of Org2MSP may not call 'history' on an entry of Org1MSP");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "worker", SUBJECT_B), "history", c))
                .isEqualTo("role 'worker' of Org1MSP may not call 'history' on an entry of another subject");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "worker"), "history", c))
                .isEqualTo(
                        "role 'worker' of Org1MSP has no valid 'dossier.subject' attribute and may not call 'history'");
        assertThat(ok(who("Org2MSP", "employer"), "history", newCommitment())).isEqualTo("[]");
    }

    @Test
    void statusAndHistory_showPseudonymAndIssuer_onlyToThoseWhoMayListTheEntryInADossier() {
        String c = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchorRecord", record(c, SUBJECT_A));
        ok(who("Org1MSP", "issuer"), "revoke", c, "withdrawn");

        for (ByteString reader :
                List.of(who("Org1MSP", "employer"), who("Org2MSP", "auditor"), who("Org2MSP", "worker", SUBJECT_A))) {
            assertThat(ok(reader, "status", c)).contains(SUBJECT_A, "\"issuerId\":");
        }
        for (ByteString reader : List.of(
                who("Org2MSP", "inspector"),
                who("Org1MSP", "operator"),
                who("Org2MSP", "employer"),
                who("Org1MSP", "worker", SUBJECT_B))) {
            String status = ok(reader, "status", c);
            assertThat(status)
                    .contains("\"mspId\":\"Org1MSP\"", "\"status\":\"revoked\"", "\"revocationReason\":\"withdrawn\"")
                    .doesNotContain(SUBJECT_A)
                    .doesNotContain("issuerId");
        }
        String history = ok(who("Org2MSP", "inspector"), "history", c);
        assertThat(history).contains("\"status\":\"active\"", "\"status\":\"revoked\"");
        assertThat(history).doesNotContain(SUBJECT_A).doesNotContain("issuerId");
        assertThat(ok(who("Org2MSP", "worker", SUBJECT_A), "history", c)).contains(SUBJECT_A);
    }

    // ---- dossier

    @Test
    void dossier_listsWithinReach() {
        String a1 = newCommitment();
        String a2 = newCommitment();
        String b1 = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchorBatch", "[" + record(a1, SUBJECT_A) + "," + record(b1, SUBJECT_B) + "]");
        ok(who("Org2MSP", "employer"), "anchorRecord", record(a2, SUBJECT_A));

        assertThat(commitmentsIn(ok(who("Org1MSP", "auditor"), "dossier", SUBJECT_A)))
                .containsExactly(a1, a2);
        assertThat(commitmentsIn(ok(who("Org2MSP", "worker", SUBJECT_A), "dossier", SUBJECT_A.toUpperCase())))
                .containsExactly(a1, a2);
        assertThat(commitmentsIn(ok(who("Org1MSP", "employer"), "dossier", SUBJECT_A)))
                .containsExactly(a1);
        assertThat(commitmentsIn(ok(who("Org2MSP", "issuer"), "dossier", SUBJECT_A)))
                .containsExactly(a2);
        assertThat(ok(who("Org2MSP", "issuer"), "dossier", SUBJECT_B)).isEqualTo("[]");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "worker", SUBJECT_B), "dossier", SUBJECT_A))
                .isEqualTo("role 'worker' of Org1MSP may not call 'dossier' for another subject");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "inspector"), "dossier", SUBJECT_A))
                .isEqualTo("role 'inspector' of Org1MSP may not call 'dossier'");
        assertThat(fails("INVALID_ARGUMENT", who("Org1MSP", "auditor"), "dossier", "Rossi"))
                .contains("64 hexadecimal");
    }

    private static List<String> commitmentsIn(String entries) {
        List<String> found = new ArrayList<>();
        for (String part : entries.split("\"commitment\":\"")) {
            if (part.length() >= 64 && part.charAt(64) == '"') {
                found.add(part.substring(0, 64));
            }
        }
        return found;
    }

    // ---- roles

    @Test
    void callerWithoutRoleOrWithUnknownRole_isDenied_namingTheFunction() {
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", null), "status", newCommitment()))
                .isEqualTo("an identity of Org1MSP without a 'dossier.role' attribute may not call 'status'");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "admin"), "anchor", newCommitment(), "record"))
                .isEqualTo("role 'admin' of Org1MSP may not call 'anchor'");
        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "inspector"), "anchorBatch", "not even json"))
                .as("the role is checked before the argument")
                .isEqualTo("role 'inspector' of Org1MSP may not call 'anchorBatch'");
    }

    // ---- governance

    /** Stores the first policy as a genesis block does: under the contract's policy key, at version (0, 0). */
    private void genesisPolicy(String document) {
        state.put(CC, new CompositeKey("policy").toString(), document, 0, 0);
    }

    @Test
    void firstPolicy_comesFromGenesis_noFunctionStoresIt() throws Exception {
        assertThat(ok(who("Org1MSP", "auditor"), "getPolicy")).contains("\"initialised\":false");
        assertThat(fails("INVALID_STATE", who("Org1MSP", "operator"), "proposePolicy", policyFor("Org1MSP")))
                .as("the built-in default lists no organisation: nobody can take the governance by voting alone")
                .contains("lists no member organisations");
        assertThat(call(who("Org1MSP", "operator"), "initPolicy", policyFor("Org1MSP"))
                        .response()
                        .getStatus())
                .as("there is no function that stores a first policy")
                .isEqualTo(500);
        assertThat(state.get(CC, new CompositeKey("policy").toString())).isEmpty();

        genesisPolicy(policyFor("Org1MSP", "Org2MSP"));
        String described = ok(who("Org1MSP", "worker", SUBJECT_A), "getPolicy");
        assertThat(described).contains("\"initialised\":true", "\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
        assertThat(ok(who("Org1MSP", "operator"), "proposePolicy", policyFor("Org1MSP")))
                .as("a takeover proposal by one of two organisations is only a proposal")
                .contains("\"applied\":false", "\"required\":2");
        assertThat(fails("PERMISSION_DENIED", who("Org3MSP", "auditor"), "status", newCommitment()))
                .isEqualTo("Org3MSP is not an organisation of the consortium's policy and may not call 'status'");
    }

    @Test
    void policyChange_needsAStrictMajority_andThenApplies() throws Exception {
        genesisPolicy(policyFor("Org1MSP", "Org2MSP", "Org3MSP"));
        String c = newCommitment();
        ok(who("Org1MSP", "issuer"), "anchorRecord", record(c, SUBJECT_A));
        assertThat(fails("PERMISSION_DENIED", who("Org2MSP", "inspector"), "dossier", SUBJECT_A))
                .isEqualTo("role 'inspector' of Org2MSP may not call 'dossier'");
        String changed = withOrganisations(
                policyDocument()
                        .replace(
                                "\"inspector\": {\"status\": \"any\"",
                                "\"inspector\": {\"dossier\": \"any\", \"status\": \"any\""),
                "Org1MSP",
                "Org2MSP",
                "Org3MSP");

        assertThat(fails("PERMISSION_DENIED", who("Org1MSP", "auditor"), "proposePolicy", changed))
                .isEqualTo("role 'auditor' of Org1MSP may not call 'proposePolicy'");
        String proposed = ok(who("Org1MSP", "operator"), "proposePolicy", changed);
        assertThat(proposed).contains("\"applied\":false", "\"approvals\":[\"Org1MSP\"]", "\"required\":2");
        String hash = proposed.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(ok(who("Org1MSP", "operator"), "approvePolicy", hash))
                .as("a second vote of the same organisation does not count")
                .contains("\"applied\":false", "\"approvals\":[\"Org1MSP\"]");
        assertThat(ok(who("Org2MSP", "auditor"), "getPolicyProposal", hash))
                .contains("\"approvals\":[\"Org1MSP\"]", "\"hash\":\"" + hash + "\"", "\"dossier\":\"any\"");
        assertThat(fails("PERMISSION_DENIED", who("Org2MSP", "inspector"), "dossier", SUBJECT_A))
                .as("not yet applied")
                .contains("may not call 'dossier'");
        assertThat(fails("PERMISSION_DENIED", who("Org3MSP", "employer"), "approvePolicy", hash))
                .isEqualTo("role 'employer' of Org3MSP may not call 'approvePolicy'");

        Simulation approval = call(who("Org3MSP", "operator"), "approvePolicy", hash);
        assertThat(approval.response().getPayload().toStringUtf8())
                .contains("\"applied\":true", "\"approvals\":[\"Org1MSP\",\"Org3MSP\"]");
        assertThat(approval.event().getEventName()).isEqualTo("PolicyChanged");
        ok(who("Org3MSP", "operator"), "approvePolicy", hash);

        assertThat(ok(who("Org2MSP", "inspector"), "dossier", SUBJECT_A)).contains(c);
        assertThat(ok(who("Org2MSP", "operator"), "getPolicy")).contains("\"hash\":\"" + hash + "\"");
        assertThat(ok(who("Org2MSP", "operator"), "approvePolicy", hash)).contains("\"applied\":true");
        assertThat(fails("NOT_FOUND", who("Org2MSP", "auditor"), "getPolicyProposal", hash))
                .contains(hash);
        assertThat(fails("INVALID_ARGUMENT", who("Org2MSP", "operator"), "proposePolicy", changed))
                .endsWith("is already in force");
    }

    @Test
    void proposalMadeUnderAnOldPolicy_cannotBeApproved() throws Exception {
        genesisPolicy(policyFor("Org1MSP", "Org2MSP", "Org3MSP"));
        String stale = ok(who("Org1MSP", "operator"), "proposePolicy", policyFor("Org1MSP", "Org2MSP"));
        String staleHash = stale.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
        String winner = ok(who("Org2MSP", "operator"), "proposePolicy", policyFor("Org1MSP", "Org2MSP", "Org4MSP"));
        String winnerHash = winner.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
        assertThat(ok(who("Org3MSP", "operator"), "approvePolicy", winnerHash)).contains("\"applied\":true");

        assertThat(fails("INVALID_STATE", who("Org2MSP", "operator"), "approvePolicy", staleHash))
                .contains("was made under policy")
                .endsWith("propose it again");
        assertThat(ok(who("Org4MSP", "operator"), "proposePolicy", policyFor("Org1MSP", "Org2MSP")))
                .as("proposed again under the policy in force, the old approvals are gone")
                .contains("\"approvals\":[\"Org4MSP\"]");
        assertThat(fails("PERMISSION_DENIED", who("Org3MSP", "operator"), "getPolicy"))
                .isEqualTo("Org3MSP is not an organisation of the consortium's policy and may not call 'getPolicy'");
    }
}
