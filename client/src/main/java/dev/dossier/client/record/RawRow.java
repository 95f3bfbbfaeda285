package dev.dossier.client.record;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row as read from an input file, before validation.
 *
 * @param line the 1-based line number where the row starts (line 1 of a CSV file is its header)
 * @param fields column name to text, for the columns the row has (empty text for an empty cell)
 * @param problems what made the row unreadable (wrong number of columns, malformed JSON), empty if none
 */
public record RawRow(long line, Map<String, String> fields, List<Violation> problems) {
    public RawRow {
        Objects.requireNonNull(fields, "fields");
        problems = List.copyOf(problems);
    }
}
