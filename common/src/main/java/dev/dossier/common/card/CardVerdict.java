package dev.dossier.common.card;

/** What a card check concludes; {@link CardCheck#reason()} says why. */
public enum CardVerdict {
    /** Genuine, signed by a listed key in its validity, not past its valid-until date (and, online, anchored). */
    VALID,
    /** Genuine, but past its valid-until date: the training must be refreshed. */
    EXPIRED,
    /** Genuine, but the record or the card was revoked on the ledger. */
    REVOKED,
    /** Genuine, but the record was superseded by a corrected one. */
    SUPERSEDED,
    /** Genuine signature, but the ledger holds no entry of the signer's organisation for the card or its record. */
    NOT_FOUND,
    /** Not a card, or a card changed after signing: do not trust anything it shows. */
    TAMPERED,
    /** Signed by a key the trust file does not list, or outside the key's validity, or for another organisation. */
    UNKNOWN_SIGNER
}
