package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.AnchorReceipt;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.TrainingRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The salts of records, for their commitments: from the anchoring receipts ({@code receipts.jsonl} of {@code dossier
 * anchor}) when given, else derived with the issuer salt key, as anchoring derived them.
 */
final class RecordSalts {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordSalts() {}

    /**
     * @param receipts the receipts file, or null to derive the salts with the salt key
     * @param saltKeyFile the issuer salt key file
     * @return the salt of each record, in the order given
     * @throws IOException if a salt is in neither, or a file cannot be read
     */
    static List<byte[]> of(List<TrainingRecord> records, Path receipts, Path saltKeyFile) throws IOException {
        if (receipts == null) {
            if (!Files.exists(saltKeyFile)) {
                throw new IOException("no --receipts and no issuer salt key at " + saltKeyFile
                        + ": the record's salt is in one of them");
            }
            HmacKey key = HmacKey.load(saltKeyFile);
            return records.stream()
                    .map(r -> Commitments.salt(key, r.recordId(), r.version()))
                    .toList();
        }
        Map<String, byte[]> wanted = new HashMap<>();
        for (TrainingRecord record : records) {
            wanted.put(key(record.recordId(), record.version()), null);
        }
        try (BufferedReader reader = Files.newBufferedReader(receipts, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                AnchorReceipt r = MAPPER.readValue(line, AnchorReceipt.class);
                String key = key(r.recordId(), r.version());
                if (r.salt() != null && wanted.containsKey(key)) {
                    wanted.put(key, HexFormat.of().parseHex(r.salt()));
                }
            }
        }
        List<byte[]> salts = new java.util.ArrayList<>(records.size());
        for (TrainingRecord record : records) {
            byte[] salt = wanted.get(key(record.recordId(), record.version()));
            if (salt == null) {
                throw new IOException("no receipt of record " + record.recordId() + " version " + record.version()
                        + " in " + receipts);
            }
            salts.add(salt);
        }
        return salts;
    }

    private static String key(String recordId, int version) {
        return version + ":" + recordId;
    }
}
