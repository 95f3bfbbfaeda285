package dev.dossier.client.card;

import dev.dossier.client.bulk.Outcome;
import java.util.Objects;

/**
 * A signed and anchored card.
 *
 * @param text the card's text ({@code DC1:...}), for an alphanumeric QR code
 * @param recordCommitment the card's record commitment, 64 lowercase hex digits
 * @param recordOutcome what the ledger did with the record's entry
 * @param digest the card's digest (SHA-256 of its COSE bytes), anchored as an entry of kind {@code card}
 * @param cardOutcome what the ledger did with the card's entry
 * @param txId the transaction that anchored them
 * @param block the block holding that transaction
 */
public record IssuedCard(
        String text,
        String recordCommitment,
        Outcome recordOutcome,
        String digest,
        Outcome cardOutcome,
        String txId,
        long block) {
    public IssuedCard {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(recordOutcome, "recordOutcome");
        Objects.requireNonNull(cardOutcome, "cardOutcome");
    }

    /** @return whether both the record and the card are now this organisation's entries on the ledger */
    public boolean anchored() {
        return recordOutcome != Outcome.CONFLICT && cardOutcome != Outcome.CONFLICT;
    }
}
