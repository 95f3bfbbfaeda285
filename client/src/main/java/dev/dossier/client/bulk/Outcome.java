package dev.dossier.client.bulk;

/** What the ledger did with one commitment of an {@code anchorBatch} transaction. */
public enum Outcome {
    /** Newly anchored by this transaction. */
    ANCHORED,
    /** Already anchored earlier by the same organisation: nothing changed (a re-run, or a resumed upload). */
    ALREADY_ANCHORED,
    /** Already anchored by another organisation: refused. */
    CONFLICT
}
