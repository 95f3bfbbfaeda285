package dev.dossier.node.validation;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * Who stands behind a transaction, as its validation established it: the creator (whose signature over the
 * transaction verified) and the consortium nodes whose endorsements verified. Immutable.
 *
 * @param creatorMsp the creator's organisation
 * @param creatorSubject the subject DN (RFC 2253) of the creator's certificate
 * @param timestamp the transaction's timestamp (its channel header's)
 * @param endorserMsps the organisation of each node whose endorsement verified, one entry per endorser
 */
public record Signers(String creatorMsp, String creatorSubject, Instant timestamp, List<String> endorserMsps) {
    public Signers {
        requireNonNull(creatorMsp, "creatorMsp");
        requireNonNull(creatorSubject, "creatorSubject");
        requireNonNull(timestamp, "timestamp");
        endorserMsps = List.copyOf(endorserMsps);
    }
}
