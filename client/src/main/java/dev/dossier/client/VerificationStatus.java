package dev.dossier.client;

/** The verdict of a verification. */
public enum VerificationStatus {
    /** Anchored, active, and not past its {@code valid_until}. */
    VALID,
    /** Anchored and active, but its {@code valid_until} has passed: the training must be refreshed. */
    EXPIRED,
    /** Anchored, then revoked by its issuer. */
    REVOKED,
    /** Anchored, then replaced by a corrected version. */
    SUPERSEDED,
    /**
     * Not anchored but drafted, by a training provider for the issuing organisation under its delegation, and not yet
     * validated by that organisation: not valid.
     */
    PENDING,
    /** Not anchored: a draft its issuing organisation rejected, for the reason given. */
    REJECTED,
    /** No such commitment on the ledger (or the salt is wrong). */
    NOT_FOUND,
    /** The document does not hash to the commitment its receipt or the caller claims: it was altered. */
    TAMPERED,
    /**
     * The receipt's checkpoint is not consistent with the checkpoint of the same log accepted before: the consortium's
     * log presented a split view (two histories), and nothing it proves can be trusted.
     */
    SPLIT_VIEW
}
