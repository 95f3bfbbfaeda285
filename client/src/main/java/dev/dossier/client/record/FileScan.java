package dev.dossier.client.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A first pass over an input file: how many rows it has, and which record ids (with their version) occur more than
 * once and on which line each occurs last. Keeps 8 to 16 bytes per row (a 64-bit fingerprint of each id), never the
 * rows themselves.
 */
public final class FileScan {
    private final long rows;
    private final Map<Long, Long> lastLineOfRepeated;

    private FileScan(long rows, Map<Long, Long> lastLineOfRepeated) {
        this.rows = rows;
        this.lastLineOfRepeated = lastLineOfRepeated;
    }

    /**
     * Reads the whole file once.
     *
     * @throws IOException if the file cannot be read or its CSV header is invalid
     */
    public static FileScan of(Path file) throws IOException {
        FingerprintSet seen = new FingerprintSet();
        Map<Long, Long> repeated = new HashMap<>();
        long rows = 0;
        try (RecordSource source = RecordSource.open(file)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                rows++;
                Long fingerprint = fingerprint(row);
                if (fingerprint != null && !seen.add(fingerprint)) {
                    repeated.put(fingerprint, row.line());
                }
            }
        }
        // a repeated id occurs last on the line recorded for it; its first occurrences are refused
        return new FileScan(rows, repeated);
    }

    /** @return a scan that knows of no rows and no repeated id (for input that is not a file) */
    public static FileScan none() {
        return new FileScan(-1, Map.of());
    }

    /** @return the number of rows (header excluded), or -1 if unknown */
    public long rows() {
        return rows;
    }

    /** @return true if {@code row}'s record id (and version) occurs again on a later line of the file */
    boolean repeatedLater(RawRow row) {
        Long fingerprint = fingerprint(row);
        if (fingerprint == null) {
            return false;
        }
        Long last = lastLineOfRepeated.get(fingerprint);
        return last != null && last > row.line();
    }

    private static Long fingerprint(RawRow row) {
        String id = row.fields().get(Field.RECORD_ID.column());
        if (id == null || id.isBlank()) {
            return null;
        }
        String version = row.fields().getOrDefault(Field.VERSION.column(), "");
        version = version == null || version.isBlank() ? "1" : version.strip();
        try {
            version = Long.toString(Long.parseLong(version));
        } catch (NumberFormatException e) {
            // kept as written: such a row is refused for its version anyway
        }
        return fingerprint(id.strip(), version);
    }

    /** 64-bit FNV-1a over the UTF-16 code units of id, a separator and version. */
    static long fingerprint(String recordId, String version) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < recordId.length(); i++) {
            h = (h ^ recordId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xffff) * 0x100000001b3L;
        for (int i = 0; i < version.length(); i++) {
            h = (h ^ version.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
