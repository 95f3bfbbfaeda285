package dev.dossier.client.credential;

import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.digest.Commitment;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed Open Badges 3.0 credential of a record.
 *
 * @param json the credential, as written to the worker's file
 * @param digest the commitment anchored for it (kind {@code credential})
 * @param recordCommitment the record's commitment, which the credential names as evidence
 * @param validUntil the record's last valid day, the credential entry's too
 */
public record IssuedCredential(
        String recordId,
        int version,
        String json,
        Commitment digest,
        Commitment recordCommitment,
        OpenBadges.StatusPosition status,
        Optional<LocalDate> validUntil) {
    public IssuedCredential {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(recordCommitment, "recordCommitment");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /** @return the credential's {@code anchorBatch} entry: its digest, kind {@code credential}, no subject */
    public String entryJson() {
        return Anchoring.credentialEntryJson(digest.toString(), validUntil.orElse(null));
    }
}
