package dev.dossier.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.identity.FabricAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.GatewayException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The role policy of {@code docs/design.md} (section "Roles and policy"), cell by cell: every notary function called by
 * every role of both organisations of a two-organisation consortium, through the official client, each user against its
 * own organisation's node of a two-node network (an organisation's node endorses creations in its own name only). The
 * entries the functions act on are Org1MSP's, with the subject of Worker1 of Org1MSP, so for scoped grants a caller of
 * Org1MSP is within reach and a caller of Org2MSP is not.
 */
class PolicyMatrixIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> ROLES =
            List.of("operator", "delegate", "issuer", "employer", "worker", "inspector", "auditor");
    private static final Map<String, String> USERS = Map.of(
            "operator", "Admin",
            "delegate", "Delegate",
            "issuer", "Issuer",
            "employer", "Employer",
            "worker", "Worker1",
            "inspector", "Inspector",
            "auditor", "Auditor");

    /**
     * The expected matrix, written out from the design's table rather than from the policy document: per function, per
     * role in {@link #ROLES} order, {@code A} allowed for both organisations, {@code O} allowed for Org1MSP (owner of
     * the entries and of the subject) and denied for Org2MSP, {@code -} denied for both.
     */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("anchor", "- A A A - - -");
        EXPECTED.put("anchorRecord", "- A A A - - -");
        EXPECTED.put("anchorBatch", "- A A A - - -");
        EXPECTED.put("revoke", "- - O O - - -");
        EXPECTED.put("supersede", "- - O O - - -");
        EXPECTED.put("revokeBatch", "- - A A - - -"); // allowed to call; another organisation's entries: REFUSED
        EXPECTED.put("status", "A A A A A A A");
        EXPECTED.put("history", "A O O O O A A");
        EXPECTED.put("dossier", "- - A A O - A");
        EXPECTED.put("proposePolicy", "A - - - - - -");
        EXPECTED.put("approvePolicy", "A - - - - - -");
        EXPECTED.put("getPolicy", "A A A A A A A");
        EXPECTED.put("getPolicyProposal", "A A A A A A A");
        EXPECTED.put("grantDelegation", "A A - - - - -");
        EXPECTED.put("withdrawDelegation", "A A - - - - -");
        EXPECTED.put("listDelegations", "A A A A A A A");
        EXPECTED.put("draftBatch", "- - A - - - -");
        EXPECTED.put("validateDrafts", "A A - - - - -");
        EXPECTED.put("rejectDrafts", "A A - - - - -");
    }

    @TempDir
    static Path directory;

    private static TestCluster network;
    /** Org1MSP's entry with Worker1@org1's subject, read by status, history and dossier. */
    private static String entry;
    /** Org2MSP's entry with the same subject, which only Org2MSP's issuers and employers see in the dossier. */
    private static String org2Entry;

    private static String subject;
    /** Fresh Org1MSP entries, one (revoke, revokeBatch) or two (supersede) per cell. */
    private static final Deque<String> FIXTURES = new ArrayDeque<>();
    /** Per organisation, delegations it granted (project codes) for withdrawDelegation, one per role. */
    private static final Map<String, Deque<String>> GRANTED = new HashMap<>();
    /** Per organisation, pending drafts made for it by the other organisation, one per role and function. */
    private static final Map<String, Deque<String>> DRAFTS = new HashMap<>();
    /** The project each organisation delegates to the other, module {@value #MODULE}. */
    private static final String PROJECT = "MATRIX-1";

    private static final String MODULE = "SIC-GEN-4H";
    /** A pending proposal of each organisation's operator. */
    private static final Map<String, String> PROPOSALS = new HashMap<>();

    @BeforeAll
    static void startNodeAndAnchorFixtures() throws Exception {
        network = new TestCluster(directory, 2);
        subject = FabricAttributes.decode(TestNetwork.certificate(
                        network.userNamed("Worker1@org1.dossier.local").certificate()))
                .get("dossier.subject");

        entry = newCommitment();
        List<String> batch = new ArrayList<>();
        batch.add(record(entry, subject));
        for (int i = 0; i < 4 * 2 * ROLES.size(); i++) {
            String fixture = newCommitment();
            FIXTURES.add(fixture);
            batch.add(record(fixture, null));
        }
        assertThat(submit("Issuer@org1.dossier.local", "anchorBatch", "[" + String.join(",", batch) + "]"))
                .contains("\"anchored\":" + batch.size());
        org2Entry = newCommitment();
        submit("Issuer@org2.dossier.local", "anchorRecord", record(org2Entry, subject));
        for (int org = 1; org <= 2; org++) {
            String mspId = "Org" + org + "MSP";
            String other = "Org" + (3 - org) + "MSP";
            submit("Admin@org" + org + ".dossier.local", "grantDelegation", PROJECT, other, "[\"" + MODULE + "\"]");
            Deque<String> granted = new ArrayDeque<>();
            for (int i = 0; i < ROLES.size(); i++) {
                String project = "MATRIX-W" + i;
                submit("Admin@org" + org + ".dossier.local", "grantDelegation", project, other, "[\"M1\"]");
                granted.add(project);
            }
            GRANTED.put(mspId, granted);
        }
        for (int org = 1; org <= 2; org++) {
            Deque<String> drafts = new ArrayDeque<>();
            List<String> entries = new ArrayList<>();
            for (int i = 0; i < 2 * ROLES.size(); i++) {
                String draft = newCommitment();
                drafts.add(draft);
                entries.add(draft(draft));
            }
            String drafter = "Issuer@org" + (3 - org) + ".dossier.local";
            assertThat(submit(
                            drafter, "draftBatch", "Org" + org + "MSP", PROJECT, "[" + String.join(",", entries) + "]"))
                    .contains("\"drafted\":" + 2 * ROLES.size());
            DRAFTS.put("Org" + org + "MSP", drafts);
        }
        for (int org = 1; org <= 2; org++) {
            String proposed = submit(
                    "Admin@org" + org + ".dossier.local",
                    "proposePolicy",
                    policyWithDescription("proposal of org" + org));
            PROPOSALS.put("Org" + org + "MSP", hashIn(proposed));
        }
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (network != null) {
            network.close();
        }
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        EXPECTED.forEach((function, row) -> {
            String[] marks = row.split(" ");
            for (int r = 0; r < ROLES.size(); r++) {
                for (int org = 1; org <= 2; org++) {
                    boolean allowed = marks[r].equals("A") || (marks[r].equals("O") && org == 1);
                    cells.add(Arguments.of(function, ROLES.get(r), "Org" + org + "MSP", allowed));
                }
            }
        });
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} by {1} of {2}: allowed {3}")
    @MethodSource("cells")
    void everyCell_allowedSucceeds_deniedFailsNamingRoleAndFunction_andWritesNothing(
            String function, String role, String mspId, boolean allowed) throws Exception {
        String user = USERS.get(role) + "@" + mspId.substring(0, 4).toLowerCase() + ".dossier.local";
        String[] args = arguments(function, mspId);
        boolean submit = !function.startsWith("get")
                && !List.of("status", "history", "dossier", "listDelegations").contains(function);
        Node node = network.nodes[network.organisationOf(user)];
        long height = node.height();

        if (allowed) {
            String result = submit ? submit(user, function, args) : evaluate(user, function, args);
            checkResult(function, role, mspId, args, result);
        } else {
            assertThatThrownBy(() -> {
                        if (submit) {
                            submit(user, function, args);
                        } else {
                            evaluate(user, function, args);
                        }
                    })
                    .isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(TestNetwork.refusal(e))
                                    .contains("chaincode response 500, role '" + role + "' of " + mspId
                                            + " may not call '" + function + "'"));
            assertThat(node.height()).as("a denial writes nothing").isEqualTo(height);
        }
    }

    private static String[] arguments(String function, String mspId) throws Exception {
        return switch (function) {
            case "anchor" -> new String[] {newCommitment(), "record"};
            case "anchorRecord" -> new String[] {record(newCommitment(), subject)};
            case "anchorBatch" ->
                new String[] {"[" + record(newCommitment(), null) + "," + record(newCommitment(), subject) + "]"};
            case "revoke" -> new String[] {FIXTURES.pop(), "issued_in_error"};
            case "supersede" -> new String[] {FIXTURES.pop(), FIXTURES.pop()};
            case "revokeBatch" ->
                new String[] {"[{\"commitment\":\"" + FIXTURES.pop() + "\",\"reason\":\"withdrawn\"}]"};
            case "status", "history" -> new String[] {entry};
            case "dossier" -> new String[] {subject};
            case "proposePolicy" -> new String[] {policyWithDescription("cell " + newCommitment())};
            case "approvePolicy", "getPolicyProposal" -> new String[] {PROPOSALS.get(mspId)};
            case "getPolicy" -> new String[0];
            case "grantDelegation" ->
                new String[] {"MATRIX-G-" + newCommitment().substring(0, 8), otherThan(mspId), "[\"M1\"]"};
            case "withdrawDelegation" -> new String[] {GRANTED.get(mspId).pop(), otherThan(mspId)};
            case "listDelegations" -> new String[] {PROJECT};
            case "draftBatch" -> new String[] {otherThan(mspId), PROJECT, "[" + draft(newCommitment()) + "]"};
            case "validateDrafts" ->
                new String[] {PROJECT, "[\"" + DRAFTS.get(mspId).pop() + "\"]"};
            case "rejectDrafts" ->
                new String[] {
                    PROJECT, "[{\"commitment\":\"" + DRAFTS.get(mspId).pop() + "\",\"reason\":\"incomplete\"}]"
                };
            default -> throw new AssertionError(function);
        };
    }

    /** What an allowed call must have done. */
    private static void checkResult(String function, String role, String mspId, String[] args, String result)
            throws Exception {
        switch (function) {
            case "anchor", "anchorRecord" ->
                assertThat(result)
                        .contains(
                                "\"commitment\":\"" + args[0].replaceAll(".*\"commitment\":\"(\\w+)\".*", "$1") + "\"")
                        .contains("\"mspId\":\"" + mspId + "\"", "\"status\":\"active\"");
            case "anchorBatch" -> assertThat(result).contains("\"anchored\":2");
            case "revoke" ->
                assertThat(evaluate("Auditor@org2.dossier.local", "status", args[0]))
                        .contains("\"status\":\"revoked\"", "\"revocationReason\":\"issued_in_error\"");
            case "supersede" ->
                assertThat(evaluate("Inspector@org2.dossier.local", "status", args[1]))
                        .contains("\"supersedes\":\"" + args[0] + "\"");
            case "revokeBatch" -> {
                String target = args[0].replaceAll(".*\"commitment\":\"(\\w+)\".*", "$1");
                boolean owner = mspId.equals("Org1MSP");
                assertThat(result).contains(owner ? "\"outcome\":\"REVOKED\"" : "\"outcome\":\"REFUSED\"");
                assertThat(evaluate("Auditor@org2.dossier.local", "status", target))
                        .contains(owner ? "\"status\":\"revoked\"" : "\"status\":\"active\"");
            }
            case "status" -> assertThat(result).contains("\"commitment\":\"" + entry + "\"", "\"mspId\":\"Org1MSP\"");
            case "history" ->
                assertThat(result).startsWith("[{\"delete\":false").contains(entry);
            case "dossier" -> {
                boolean ownOrgOnly = role.equals("issuer") || role.equals("employer");
                if (!ownOrgOnly || mspId.equals("Org1MSP")) {
                    assertThat(result).contains(entry);
                } else {
                    assertThat(result).doesNotContain(entry);
                }
                if (!ownOrgOnly || mspId.equals("Org2MSP")) {
                    assertThat(result).contains(org2Entry);
                } else {
                    assertThat(result).doesNotContain(org2Entry);
                }
            }
            case "proposePolicy", "approvePolicy" ->
                assertThat(result).contains("\"applied\":false", "\"approvals\":[\"" + mspId + "\"]", "\"required\":2");
            case "getPolicy" ->
                assertThat(result).contains("\"initialised\":true", "\"organisations\":[\"Org1MSP\",\"Org2MSP\"]");
            case "getPolicyProposal" -> assertThat(result).contains("\"hash\":\"" + args[0] + "\"");
            case "grantDelegation" ->
                assertThat(evaluate("Inspector@org2.dossier.local", "listDelegations", args[0]))
                        .contains(
                                "\"issuer\":\"" + mspId + "\"",
                                "\"provider\":\"" + args[1] + "\"",
                                "\"status\":\"active\"");
            case "withdrawDelegation" ->
                assertThat(evaluate("Inspector@org2.dossier.local", "listDelegations", args[0]))
                        .contains("\"issuer\":\"" + mspId + "\"", "\"status\":\"withdrawn\"");
            case "listDelegations" ->
                assertThat(result)
                        .contains(
                                "\"issuer\":\"Org1MSP\"", "\"issuer\":\"Org2MSP\"", "\"modules\":[\"" + MODULE + "\"]");
            case "draftBatch" -> {
                String drafted = args[2].replaceAll(".*\"commitment\":\"(\\w+)\".*", "$1");
                assertThat(result).contains("\"outcome\":\"DRAFTED\"");
                assertThat(evaluate("Inspector@org1.dossier.local", "status", drafted))
                        .contains(
                                "\"status\":\"pending\"",
                                "\"mspId\":\"" + args[0] + "\"",
                                "\"draftedBy\":\"" + mspId + "\"");
            }
            case "validateDrafts" -> {
                String validated = args[1].substring(2, 66);
                assertThat(result).contains("\"outcome\":\"VALIDATED\"");
                assertThat(evaluate("Inspector@org1.dossier.local", "status", validated))
                        .contains(
                                "\"status\":\"active\"",
                                "\"mspId\":\"" + mspId + "\"",
                                "\"draftedBy\":\"" + otherThan(mspId) + "\"");
            }
            case "rejectDrafts" -> {
                String rejected = args[1].replaceAll(".*\"commitment\":\"(\\w+)\".*", "$1");
                assertThat(result).contains("\"outcome\":\"REJECTED\"");
                assertThat(evaluate("Inspector@org1.dossier.local", "status", rejected))
                        .contains("\"status\":\"rejected\"", "\"rejectionReason\":\"incomplete\"");
            }
            default -> throw new AssertionError(function);
        }
    }

    // ---- scenarios on the same node

    @Test
    void revokeAndSupersede_areInTheHistory() throws Exception {
        String old = newCommitment();
        String replacement = newCommitment();
        String employer = "Employer@org1.dossier.local";
        submit(employer, "anchorBatch", "[" + record(old, subject) + "," + record(replacement, subject) + "]");

        submit(employer, "supersede", old, replacement);
        submit("Issuer@org1.dossier.local", "revoke", replacement, "fraud");

        String oldHistory = evaluate("Inspector@org2.dossier.local", "history", old);
        String newHistory = evaluate("Worker1@org1.dossier.local", "history", replacement);
        assertThat(oldHistory.split("\"txId\"")).hasSize(3);
        assertThat(oldHistory.indexOf("\"status\":\"superseded\""))
                .isLessThan(oldHistory.indexOf("\"status\":\"active\""));
        assertThat(newHistory.split("\"txId\"")).hasSize(4);
        assertThat(newHistory).startsWith("[{\"delete\":false").contains("\"revocationReason\":\"fraud\"");
        assertThat(newHistory.indexOf("\"status\":\"revoked\""))
                .isLessThan(newHistory.indexOf("\"status\":\"active\""));
        assertThat(newHistory).contains("\"supersedes\":\"" + old + "\"");
    }

    @Test
    void worker_cannotReadAnotherSubjectsDossier_evenOfItsOwnOrganisation() throws Exception {
        String worker2 = "Worker2@org1.dossier.local";
        String ownSubject = FabricAttributes.decode(
                        TestNetwork.certificate(network.userNamed(worker2).certificate()))
                .get("dossier.subject");

        assertThatThrownBy(() -> evaluate(worker2, "dossier", subject))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("role 'worker' of Org1MSP may not call 'dossier' for another subject");
        assertThatThrownBy(() -> evaluate(worker2, "history", entry))
                .hasMessageContaining("role 'worker' of Org1MSP may not call 'history' on an entry of another subject");
        assertThat(evaluate(worker2, "dossier", ownSubject)).isEqualTo("[]");
        assertThat(evaluate(worker2, "status", entry)).contains(entry);
    }

    @Test
    void reanchoringTheSameBatch_isANoOp() throws Exception {
        String batch = "[" + record(newCommitment(), subject) + "," + record(newCommitment(), null) + "]";
        String first = submit("Employer@org1.dossier.local", "anchorBatch", batch);
        String statusBefore = evaluate("Auditor@org1.dossier.local", "dossier", subject);

        String again = submit("Issuer@org1.dossier.local", "anchorBatch", batch);

        assertThat(first).startsWith("{\"alreadyAnchored\":0,\"anchored\":2,");
        assertThat(again)
                .startsWith("{\"alreadyAnchored\":2,\"anchored\":0,")
                .contains("\"outcome\":\"ALREADY_ANCHORED\"");
        assertThat(evaluate("Auditor@org1.dossier.local", "dossier", subject)).isEqualTo(statusBefore);
    }

    @Test
    void anotherOrganisationsCommitment_isAConflictInABatch_andRefusedAlone() throws Exception {
        String fresh = newCommitment();

        String result = submit(
                "Issuer@org2.dossier.local",
                "anchorBatch",
                "[" + record(entry, null) + "," + record(fresh, null) + "]");

        assertThat(result)
                .isEqualTo("{\"alreadyAnchored\":0,\"anchored\":1,\"results\":["
                        + "{\"commitment\":\"" + entry
                        + "\",\"outcome\":\"CONFLICT\",\"reason\":\"already anchored by Org1MSP\"},"
                        + "{\"commitment\":\"" + fresh + "\",\"outcome\":\"ANCHORED\"}]}");
        assertThatThrownBy(() -> submit("Employer@org2.dossier.local", "anchor", entry, "record"))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(TestNetwork.refusal(e))
                                .contains("commitment " + entry + " is already anchored by Org1MSP"));
        assertThat(evaluate("Inspector@org1.dossier.local", "status", entry)).contains("\"mspId\":\"Org1MSP\"");
    }

    // ---- helpers

    /** Submits as the user through its organisation's node; returns once both nodes hold the block. */
    private static String submit(String user, String function, String... args) throws Exception {
        return new String(network.submit(user, "notary", function, args), UTF_8);
    }

    private static String evaluate(String user, String function, String... args) throws Exception {
        return new String(network.evaluate(user, "notary", function, args), UTF_8);
    }

    private static String newCommitment() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String record(String commitment, String subjectPseudonym) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"validUntil\":\"2030-06-30\""
                + (subjectPseudonym == null ? "" : ",\"subject\":\"" + subjectPseudonym + "\"") + "}";
    }

    private static String otherThan(String mspId) {
        return mspId.equals("Org1MSP") ? "Org2MSP" : "Org1MSP";
    }

    private static String draft(String commitment) {
        return "{\"commitment\":\"" + commitment + "\",\"kind\":\"record\",\"module\":\"" + MODULE + "\"}";
    }

    private static String policyWithDescription(String description) throws Exception {
        return Files.readString(network.policyDocument())
                .replaceFirst("\"description\" : \"[^\"]*\"", "\"description\" : \"" + description + "\"");
    }

    private static String hashIn(String result) {
        return result.replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
    }
}
