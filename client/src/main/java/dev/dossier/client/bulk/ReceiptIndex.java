package dev.dossier.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The latest anchored version of each record id in receipts files of earlier uploads (JSON Lines, one
 * {@code AnchorReceipt} a line): what a correction supersedes and what a revocation by record id revokes. Receipts the
 * ledger refused ({@code CONFLICT}) are skipped. Holds one small entry per record id (about 200 bytes), so a receipts
 * file of a million records takes some 200 MB: split larger corrections by file.
 */
public final class ReceiptIndex {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The latest anchored version of a record. */
    public record Anchored(String recordId, int version, String commitment) {}

    private final Map<String, Anchored> latest;

    private ReceiptIndex(Map<String, Anchored> latest) {
        this.latest = latest;
    }

    /** @return an index of no receipts */
    public static ReceiptIndex empty() {
        return new ReceiptIndex(Map.of());
    }

    /**
     * Reads receipts files.
     *
     * @throws IOException if one cannot be read, or a line is not a receipt (naming the file and line)
     */
    public static ReceiptIndex load(Iterable<Path> files) throws IOException {
        Map<String, Anchored> latest = new HashMap<>();
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Anchored a = parse(line, file, number);
                    if (a != null) {
                        latest.merge(a.recordId(), a, (x, y) -> y.version() >= x.version() ? y : x);
                    }
                }
            }
        }
        return new ReceiptIndex(latest);
    }

    private static Anchored parse(String line, Path file, long number) throws IOException {
        JsonNode r;
        try {
            r = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IOException(file + " line " + number + ": not a receipt (" + e.getMessage() + ")", e);
        }
        String id = r.path("record_id").asText(null);
        String commitment = r.path("commitment").asText(null);
        if (id == null || commitment == null || !r.path("version").canConvertToInt()) {
            throw new IOException(
                    file + " line " + number + ": not a receipt (record_id, version and commitment" + " are required)");
        }
        if ("CONFLICT".equals(r.path("outcome").asText())) {
            return null;
        }
        return new Anchored(id, r.path("version").asInt(), commitment.toLowerCase(Locale.ROOT));
    }

    /** @return the latest anchored version of {@code recordId}, or null if the receipts do not name it */
    public Anchored latest(String recordId) {
        return latest.get(recordId);
    }

    /** @return how many record ids the receipts name */
    public int size() {
        return latest.size();
    }
}
