package dev.dossier.client.record;

import java.util.List;

/**
 * A row after validation: either a record or the reasons it was refused.
 *
 * @param line the row's 1-based line number in its file
 * @param recordId the record id as written, or null if the row has none
 * @param record the validated record, or null if the row was refused
 * @param violations why the row was refused, empty if it was accepted
 */
public record ValidatedRow(long line, String recordId, TrainingRecord record, List<Violation> violations) {
    public ValidatedRow {
        violations = List.copyOf(violations);
    }

    /** @return true if the row became a record */
    public boolean valid() {
        return record != null;
    }
}
