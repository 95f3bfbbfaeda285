package dev.dossier.client;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The on-chain entry of a commitment as the notary contract reports it: who anchored it, when, until when it is valid
 * and whether it was revoked or superseded. Holds no personal data. Read by the rules of the shared
 * {@link dev.dossier.common.entry.LedgerEntry}; unknown members of the contract's JSON are kept in {@link #json()}.
 *
 * @param commitment the commitment, lowercase hex
 * @param kind what was committed ({@code record}, {@code document})
 * @param mspId the organisation that anchored it
 * @param issuer the anchoring identity (certificate subject and issuer, {@code issuerId}), or null
 * @param anchoredAt the transaction time of anchoring (ISO-8601), or null
 * @param validUntil the last valid day, or null if it does not expire
 * @param status {@code active}, {@code revoked} or {@code superseded} (lower case); for a draft, which is not
 *     anchored, {@code pending} or {@code rejected} (its facts are in {@link #json()} and {@link #shared()})
 * @param reason the revocation reason, or null
 * @param revokedAt when it was revoked (ISO-8601), or null
 * @param supersededBy the commitment that replaces it, or null
 * @param json the entry as the contract returned it
 */
public record LedgerEntry(
        String commitment,
        String kind,
        String mspId,
        String issuer,
        String anchoredAt,
        LocalDate validUntil,
        String status,
        String reason,
        String revokedAt,
        String supersededBy,
        String json) {
    /**
     * @throws IOException if {@code json} is not an entry, has no status, or its validUntil is not a date
     */
    public static LedgerEntry parse(String json) throws IOException {
        dev.dossier.common.entry.LedgerEntry entry;
        try {
            entry = dev.dossier.common.entry.LedgerEntry.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "the contract returned an entry that is not one (" + e.getMessage() + "): " + json, e);
        }
        if (entry.status() == null) {
            throw new IOException("the contract returned an entry without a status: " + json);
        }
        LocalDate until = null;
        if (entry.validUntil() != null) {
            try {
                until = LocalDate.parse(entry.validUntil());
            } catch (DateTimeParseException e) {
                throw new IOException("the entry's validUntil is not a date: " + entry.validUntil(), e);
            }
        }
        return new LedgerEntry(
                entry.commitment(),
                entry.kind(),
                entry.mspId(),
                entry.issuerId(),
                entry.anchoredAt(),
                until,
                entry.status(),
                entry.revocationReason(),
                entry.revokedAt(),
                entry.supersededBy(),
                json);
    }

    /**
     * @return this entry as {@link dev.dossier.common.entry.LedgerEntry} reads it (for {@code CardVerifier.withLedger})
     * @throws IllegalArgumentException if {@link #json} is not an entry (it is one when {@link #parse} made this)
     */
    public dev.dossier.common.entry.LedgerEntry shared() {
        return dev.dossier.common.entry.LedgerEntry.parse(json);
    }
}
