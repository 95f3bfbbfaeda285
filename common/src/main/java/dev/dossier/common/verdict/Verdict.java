package dev.dossier.common.verdict;

/**
 * What a check of a receipt or certificate, an inspector's card, a worker's card or an Open Badges credential
 * concludes; the check's reason says why. One type for all of them, so that {@code dossier verify} and the verify page
 * name the same outcome the same way whatever was shown to them.
 *
 * <p>More verdicts may be added: callers test for {@link #VALID} or name the values they handle, and treat any other
 * as "not valid".
 */
public enum Verdict {
    /** Genuine, signed by a listed key in its validity, not past its valid-until date (and, online, anchored). */
    VALID,
    /** Genuine, but past its valid-until date (or before its valid-from date): the training must be refreshed. */
    EXPIRED,
    /** Genuine, but it or its record was revoked on the ledger, or its bit is set in the signed status list. */
    REVOKED,
    /** Genuine, but its record was superseded by a corrected one. */
    SUPERSEDED,
    /**
     * Not anchored but drafted, by a training provider for the issuing organisation under its delegation, and not yet
     * validated by that organisation: not valid.
     */
    PENDING,
    /** Not anchored: a draft its issuing organisation rejected, for the reason given. */
    REJECTED,
    /**
     * Genuine signature, but the ledger holds no entry of the signer's organisation for it or its record (for a
     * receipt or certificate: no such commitment, or the salt is wrong).
     */
    NOT_FOUND,
    /**
     * Not what it claims to be, or changed after signing (a document that does not hash to its receipt's commitment):
     * do not trust anything it shows.
     */
    TAMPERED,
    /** Signed by a key the consortium does not list, or outside the key's validity, or for another organisation. */
    UNKNOWN_SIGNER,
    /**
     * A receipt's checkpoint is not consistent with the checkpoint of the same log accepted before: the consortium's
     * log presented a split view (two histories), and nothing it proves can be trusted.
     */
    SPLIT_VIEW
}
