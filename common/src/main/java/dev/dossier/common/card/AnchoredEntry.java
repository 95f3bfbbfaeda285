package dev.dossier.common.card;

import java.util.Objects;

/**
 * What the ledger says of a commitment, as far as a card check needs it: the anchoring organisation and the status.
 *
 * @param mspId the organisation that anchored it
 * @param status {@code active}, {@code revoked} or {@code superseded}
 * @param revocationReason the reason code when revoked, else null
 * @param supersededBy the replacing commitment when superseded, else null
 */
public record AnchoredEntry(String mspId, String status, String revocationReason, String supersededBy) {
    public AnchoredEntry {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(status, "status");
    }
}
