package dev.dossier.client.record;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Rows of training records read one at a time from a file, in order, holding only the current row in memory.
 *
 * <p>Two formats: CSV (UTF-8, RFC 4180 quoting, a header row naming the columns of {@code docs/design.md}, "Data
 * model", in any order; unknown columns are refused) and JSON Lines (one JSON object a line, either the record's JSON
 * form, see {@link TrainingRecord}, or flat with the CSV column names; blank lines are skipped).
 *
 * <pre>{@code
 * try (RecordSource source = RecordSource.open(Path.of("trainings.csv"))) {
 *     for (RawRow row = source.next(); row != null; row = source.next()) { ... }
 * }
 * }</pre>
 */
public interface RecordSource extends Closeable {
    /**
     * @return the next row, or null at the end of the file
     * @throws IOException if the file cannot be read (a malformed row is returned with its problems instead)
     */
    RawRow next() throws IOException;

    /**
     * Opens a file, choosing the format by its extension: {@code .jsonl} or {@code .ndjson} for JSON Lines, anything
     * else for CSV.
     *
     * @throws IOException if the file cannot be opened, or the CSV header is missing or names an unknown column
     */
    static RecordSource open(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        InputStream in = Files.newInputStream(file);
        try {
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return new JsonLinesSource(in);
            }
            return new CsvSource(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
