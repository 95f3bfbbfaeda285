package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.credential.BulkCredentials;
import dev.dossier.client.credential.CredentialVerifier;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.Field;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.Connections;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialKey;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.OrganisationKeys;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegated drafting through the official client and the {@code dossier} commands, on two organisations' nodes (each
 * its own JVM, RocksDB on disk, Raft between them): Org1MSP's delegate grants the training provider Org2MSP a
 * project's modules; Org2MSP's issuer drafts 1,000 records in bulk, which verify PENDING; Org1MSP's delegate validates
 * them in one call, which makes them VALID and issues their Open Badges 3.0 credentials; a draft for a project not
 * delegated, and one after the delegation is withdrawn, is refused.
 */
class DelegationIT {
    private static final int RECORDS = 1000;
    private static final String PROJECT = "EBT-2026-01";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @AutoClose
    NodeProcesses nodes;

    @Test
    void grant_draft1000_pending_validateInOneCall_valid_withCredentials_andRefusalsWithoutADelegation()
            throws Exception {
        int port = NodeProcesses.freePorts(2);
        Consortium consortium = CryptoGen.generate(dir.resolve("network"), 2, "dossier", "notary", port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<CredentialKey> credentialKeys = OrganisationKeys.CREDENTIALS.generate(
                dir.resolve("network"), consortium, today.minusDays(1), today.plus(OrganisationKeys.DEFAULT_VALIDITY));
        nodes = new NodeProcesses(dir, consortium, port);
        nodes.startAll();
        Path records = dir.resolve("records.csv");
        assertThat(run("sample-data", "--rows", "" + RECORDS, "--seed", "19", "--out", records.toString())
                        .code())
                .isZero();
        Map<String, TrainingRecord> byId = records(records);
        List<String> modules = new ArrayList<>(new TreeSet<>(
                byId.values().stream().map(r -> r.value(Field.COURSE_CODE)).toList()));

        // the issuer's delegate grants the provider the project's modules
        List<String> grant = new ArrayList<>(List.of("delegation", "grant", "--project", PROJECT, "--provider"));
        grant.add("Org2MSP");
        modules.forEach(m -> grant.addAll(List.of("--module", m)));
        CliRun granted = run(grant, as("Org1MSP", "Delegate"));
        assertThat(granted.code()).as(granted.text()).isZero();
        assertThat(granted.text())
                .contains("\"issuer\":\"Org1MSP\"", "\"provider\":\"Org2MSP\"", "\"status\":\"active\"");
        // each step goes through the other organisation's node: it reads once it holds the block of the last one
        nodes.awaitSameHeight();
        CliRun listed = run(List.of("delegation", "list", "--project", PROJECT), as("Org2MSP", "Inspector"));
        assertThat(listed.text()).contains("\"project\":\"" + PROJECT + "\"", "\"provider\":\"Org2MSP\"");

        // the provider drafts 1,000 records in bulk: pending, never valid
        Path drafts = dir.resolve("drafts");
        CliRun drafted = run(
                List.of("anchor", "--input", records.toString(), "--out", drafts.toString(), "--no-progress"),
                concat(as("Org2MSP", "Issuer"), "--draft-for", "Org1MSP", "--project", PROJECT));
        assertThat(drafted.code()).as(drafted.text()).isZero();
        assertThat(drafted.text())
                .contains("ledger         " + RECORDS + " drafted for Org1MSP (pending its validation)")
                .contains("draftBatch");
        Path receipts = drafts.resolve("records.receipts.jsonl");
        List<String> commitments = outcomes(receipts, "DRAFTED");
        assertThat(commitments).hasSize(RECORDS);
        nodes.awaitSameHeight();
        Commitment first = Commitment.fromHex(commitments.get(0));
        try (Session inspector = session("Org1MSP", "Inspector")) {
            Verification pending = inspector.dossier.verify(first);
            assertThat(pending.status()).as(pending.reason()).isEqualTo(Verdict.PENDING);
            assertThat(pending.reason()).contains("drafted by Org2MSP for Org1MSP (project " + PROJECT);
        }
        assertThat(new NodeApi(nodeUrl(0)).status(first))
                .as("a draft is not anchored: the node's public status does not know it")
                .isEmpty();
        CliRun verifyDraft = run(List.of("verify", "--hash", first.toString()), as("Org2MSP", "Inspector"));
        assertThat(verifyDraft.code()).isEqualTo(4);
        assertThat(verifyDraft.text()).contains("PENDING");

        // a provider without a delegation for the project is refused, and writes nothing
        CliRun undelegated = run(
                List.of(
                        "anchor",
                        "--input",
                        records.toString(),
                        "--out",
                        dir.resolve("other").toString()),
                concat(as("Org2MSP", "Issuer"), "--no-progress", "--draft-for", "Org1MSP", "--project", "EBT-OTHER"));
        assertThat(undelegated.code()).isNotZero();
        assertThat(outcomes(dir.resolve("other/records.receipts.jsonl"), "DRAFTED"))
                .isEmpty();

        // the issuer's delegate validates them all in one call, and issues their credentials
        Path credentials = dir.resolve("credentials");
        Path network = dir.resolve("network");
        CliRun validated = run(
                List.of(
                        "validate",
                        "--project",
                        PROJECT,
                        "--drafts",
                        receipts.toString(),
                        "--credentials",
                        credentials.toString(),
                        "--input",
                        records.toString(),
                        "--credential-key",
                        OrganisationKeys.CREDENTIALS
                                .privateKeyFile(network, credentialKeys.get(0))
                                .toString(),
                        "--credential-keys",
                        network.resolve("credential-keys.txt").toString(),
                        "--node-url",
                        nodeUrl(0).toString()),
                as("Org1MSP", "Delegate"));
        assertThat(validated.code()).as(validated.text()).isZero();
        assertThat(validated.text())
                .contains("drafts         " + RECORDS + " validated, 0 validated before, 0 refused")
                .contains("credentials    " + RECORDS + " Open Badges 3.0 signed");
        assertThat(outcomes(drafts.resolve("records.validated.jsonl"), "VALIDATED"))
                .containsExactlyElementsOf(commitments);
        nodes.awaitSameHeight();
        try (Session inspector = session("Org2MSP", "Inspector")) {
            Verification valid = inspector.dossier.verify(first);
            assertThat(valid.status()).as(valid.reason()).isIn(Verdict.VALID, Verdict.EXPIRED);
            assertThat(valid.reason()).contains("anchored by Org1MSP");
            assertThat(valid.entry().json()).contains("\"draftedBy\":\"Org2MSP\"", "\"project\":\"" + PROJECT + "\"");
        }
        NodeApi api = new NodeApi(nodeUrl(0));
        CredentialVerifier verifier =
                new CredentialVerifier(api, api.trust(), List.of(), Contexts.bundled(), Clock.systemUTC());
        TrainingRecord current = byId.values().stream()
                .filter(r -> r.validUntil().map(until -> !until.isBefore(today)).orElse(true))
                .findFirst()
                .orElseThrow();
        Path credential = BulkCredentials.file(credentials, current.recordId(), current.version());
        CredentialVerifier.Result verdict = verifier.verify(Files.readString(credential));
        assertThat(verdict.verdict()).as(verdict.reason()).isEqualTo(Verdict.VALID);
        assertThat(verdict.reason()).contains("anchored by Org1MSP");

        // withdrawn, the delegation refuses the provider's next drafts
        CliRun withdrawn = run(
                List.of("delegation", "withdraw", "--project", PROJECT, "--provider", "Org2MSP"),
                as("Org1MSP", "Delegate"));
        assertThat(withdrawn.text()).contains("\"status\":\"withdrawn\"");
        nodes.awaitSameHeight();
        Path more = dir.resolve("more.csv");
        assertThat(run("sample-data", "--rows", "5", "--seed", "20", "--out", more.toString())
                        .code())
                .isZero();
        CliRun late = run(
                List.of(
                        "anchor",
                        "--input",
                        more.toString(),
                        "--out",
                        dir.resolve("late").toString()),
                concat(as("Org2MSP", "Issuer"), "--no-progress", "--draft-for", "Org1MSP", "--project", PROJECT));
        assertThat(late.code()).isNotZero();
        assertThat(Files.readString(dir.resolve("late/more.errors.csv")))
                .contains("no delegation in force from Org1MSP for project " + PROJECT);
    }

    // ---- helpers

    /** The client arguments selecting {@code user} of {@code mspId} in the network, with its own key files. */
    private String[] as(String mspId, String user) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys-" + mspId));
        return new String[] {
            "--network",
            dir.resolve("network").toString(),
            "--org",
            mspId,
            "--user",
            user,
            "--config-dir",
            keys.toString()
        };
    }

    private URI nodeUrl(int node) {
        return nodes.httpUrl(node);
    }

    private static CliRun run(String command, String... args) {
        return CliRun.of(List.of(command), args);
    }

    private static CliRun run(List<String> command, String... args) {
        return CliRun.of(command, args);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** @return the valid records of a file, by record id */
    private static Map<String, TrainingRecord> records(Path file) throws Exception {
        Map<String, TrainingRecord> records = new LinkedHashMap<>();
        RecordValidator validator = new RecordValidator();
        try (RecordSource source = RecordSource.open(file)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                ValidatedRow validated = validator.validate(row);
                assertThat(validated.valid()).as("sample row " + row.line()).isTrue();
                records.put(validated.record().recordId(), validated.record());
            }
        }
        return records;
    }

    /** @return the commitments of the receipts with {@code outcome}, in file order; none if there is no file */
    private static List<String> outcomes(Path receipts, String outcome) throws Exception {
        List<String> commitments = new ArrayList<>();
        if (!Files.exists(receipts)) {
            return commitments;
        }
        for (String line : Files.readAllLines(receipts)) {
            JsonNode receipt = MAPPER.readTree(line);
            if (receipt.path("outcome").asText().equals(outcome)) {
                commitments.add(receipt.path("commitment").asText());
            }
        }
        return commitments;
    }

    /** A Dossier as {@code user} of {@code mspId}, through the official client. */
    private Session session(String mspId, String user) throws Exception {
        int org = Integer.parseInt(mspId.substring(3, 4));
        ManagedChannel channel = Connections.channel(nodes.endpoint(org - 1));
        Path msp = dir.resolve("network/organizations/peerOrganizations/org" + org + ".dossier.local/users/" + user
                + "@org" + org + ".dossier.local/msp");
        Gateway gateway = Connections.gateway(mspId, msp, channel).connect();
        Dossier dossier = Dossier.newInstance()
                .contract(gateway.getNetwork("dossier").getContract("notary"))
                .saltKey(HmacKey.loadOrCreate(
                        Files.createDirectories(dir.resolve("keys-" + mspId)).resolve("issuer-salt.key")))
                .build();
        return new Session(channel, gateway, dossier);
    }

    private record Session(ManagedChannel channel, Gateway gateway, Dossier dossier) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            gateway.close();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
