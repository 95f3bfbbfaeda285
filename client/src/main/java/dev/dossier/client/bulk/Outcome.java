package dev.dossier.client.bulk;

/**
 * What the ledger did with one entry of an {@code anchorBatch} transaction, or of the batch functions of delegated
 * drafting ({@code draftBatch}, {@code validateDrafts}, {@code rejectDrafts}).
 */
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
    REFUSED,
    /** A draft for another organisation, pending its validation: not anchored, never valid until validated. */
    DRAFTED,
    /** Drafted before by the same organisation for the same issuer, still pending: nothing changed. */
    ALREADY_DRAFTED,
    /** A draft validated by its issuer: anchored now as the issuer's active entry. */
    VALIDATED,
    /** Validated before: nothing changed. */
    ALREADY_VALIDATED,
    /** A draft rejected by its issuer, with a reason code the entry's status shows. */
    REJECTED,
    /** Rejected before: nothing changed (the first reason stands). */
    ALREADY_REJECTED
}
