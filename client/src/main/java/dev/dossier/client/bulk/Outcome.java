package dev.dossier.client.bulk;

/** What the ledger did with one entry of an {@code anchorBatch} transaction. */
public enum Outcome {
    /** Newly anchored by this transaction. */
    ANCHORED,
    /** Already anchored earlier by the same organisation: nothing changed (a re-run, or a resumed upload). */
    ALREADY_ANCHORED,
    /** Already anchored by another organisation: refused. */
    CONFLICT,
    /** A correction: newly anchored, and the entry it names superseded by it, in this one transaction. */
    SUPERSEDED,
    /** A correction done earlier: anchored and the entry it names superseded by it already; nothing changed. */
    ALREADY_SUPERSEDED,
    /**
     * A correction refused: the entry it names is not anchored, not the caller's organisation's, or no longer active
     * (revoked, or superseded by another). Nothing written, neither the correction nor the link.
     */
    REFUSED
}
