package dev.dossier.client.record;

import java.util.Objects;

/**
 * Why a row was refused: the field (its CSV column name, or {@code row} for the row as a whole) and the reason.
 *
 * @param field the column name, or {@code row}
 * @param reason a sentence for a person, without personal data beyond the field's own value
 */
public record Violation(String field, String reason) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
    }

    static Violation of(Field field, String reason) {
        return new Violation(field.column(), reason);
    }
}
