package dev.dossier.client.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.Dossier;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.file.AtomicFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The credentials of a whole upload ({@code dossier anchor --credentials DIR}, and of validated drafts, {@code dossier
 * validate --credentials DIR}): once the records are anchored, every valid record of the input whose receipt says it
 * is anchored (or validated) gets its Open Badges credential, signed and its digest
 * anchored in batches of {@value CredentialIssuance#BATCH} ({@link Dossier#issueCredentials}), written to {@code
 * DIR/<record id>-v<version>.json}. Memory: the receipts' commitments by record (about 150 bytes each) and one batch.
 */
public final class BulkCredentials {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ANCHORED = Set.of(
            "ANCHORED", "ALREADY_ANCHORED", "SUPERSEDED", "ALREADY_SUPERSEDED", "VALIDATED", "ALREADY_VALIDATED");

    private BulkCredentials() {}

    /**
     * @param issued credentials signed, anchored and written
     * @param skipped valid records without an anchored receipt (refused by the ledger)
     */
    public record Report(int issued, int skipped, long nanos) {
        /** @return credentials per second */
        public double perSecond() {
            return issued / Math.max(nanos / 1e9, 1e-3);
        }
    }

    /**
     * @param receipts the upload's receipts file
     * @throws IOException if a file cannot be read or written, or the node refuses
     */
    public static Report issue(
            Dossier dossier, CredentialIssuer issuer, NodeApi node, Path input, Path receipts, Path directory)
            throws IOException, InterruptedException, DossierException {
        long start = System.nanoTime();
        Map<String, String> commitments = anchoredCommitments(receipts);
        Files.createDirectories(directory);
        RecordValidator validator = new RecordValidator();
        List<CredentialIssuance.Anchored> batch = new ArrayList<>(CredentialIssuance.BATCH);
        int issued = 0;
        int skipped = 0;
        try (RecordSource source = RecordSource.open(input)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                ValidatedRow validated = validator.validate(row);
                if (!validated.valid()) {
                    continue;
                }
                String commitment = commitments.get(
                        key(validated.record().recordId(), validated.record().version()));
                if (commitment == null) {
                    skipped++;
                    continue;
                }
                batch.add(new CredentialIssuance.Anchored(validated.record(), Commitment.fromHex(commitment)));
                if (batch.size() == CredentialIssuance.BATCH) {
                    issued += write(dossier.issueCredentials(batch, issuer, node), directory);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            issued += write(dossier.issueCredentials(batch, issuer, node), directory);
        }
        return new Report(issued, skipped, System.nanoTime() - start);
    }

    /** @return the file of a record's credential in a directory of {@code dossier anchor --credentials} */
    public static Path file(Path directory, String recordId, int version) {
        return directory.resolve(recordId.replaceAll("[^A-Za-z0-9._-]", "_") + "-v" + version + ".json");
    }

    private static int write(List<IssuedCredential> credentials, Path directory) throws IOException {
        for (IssuedCredential credential : credentials) {
            AtomicFile.write(file(directory, credential.recordId(), credential.version()), credential.json() + "\n");
        }
        return credentials.size();
    }

    private static Map<String, String> anchoredCommitments(Path receipts) throws IOException {
        Map<String, String> commitments = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(receipts, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode receipt = MAPPER.readTree(line);
                String commitment = receipt.path("commitment").asText("");
                if (!receipt.hasNonNull("record_id") || !commitment.matches("[0-9a-f]{64}")) {
                    throw new IOException(receipts + " line " + number + ": not a receipt");
                }
                if (ANCHORED.contains(receipt.path("outcome").asText())) {
                    commitments.put(
                            key(
                                    receipt.get("record_id").asText(),
                                    receipt.path("version").asInt()),
                            commitment);
                }
            }
        }
        return commitments;
    }

    private static String key(String recordId, int version) {
        return recordId + '\0' + version;
    }
}
