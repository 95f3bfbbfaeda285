package dev.dossier.client.card;

import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.BulkCards;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Signs a record's card and anchors it beside its record in one {@code anchorBatch} transaction: the record's entry
 * first (if already anchored by this organisation, nothing changes) and the card's entry, of kind {@code card}, keyed
 * by the card's digest and expiring with the record. The contract needs no change: any organisation anchors only
 * under its own name, so a card entry proves its issuer anchored that exact card, and the card's signed commitment
 * links it to the record, whose revocation or supersession the verifier reads too. A whole file's cards go with its
 * bulk upload ({@link BulkCards}, {@link #bulk}).
 */
public final class CardAnchoring {
    private final Notary notary;
    private final Anchoring anchoring;
    private final CardIssuer issuer;
    private final Clock clock;

    /**
     * @param anchoring how records become entries (salt key, pseudonym key)
     * @param issuer the organisation's card key
     * @param clock the signing time of the cards
     */
    public CardAnchoring(Notary notary, Anchoring anchoring, CardIssuer issuer, Clock clock) {
        this.notary = Objects.requireNonNull(notary, "notary");
        this.anchoring = Objects.requireNonNull(anchoring, "anchoring");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the signer of a bulk upload's cards, with {@code issuer}'s key, signing at {@code clock}'s time */
    public static BulkCards bulk(CardIssuer issuer, Clock clock) {
        return new BulkCards(issuer::issue, issuer.key().keyIdHex(), issuer.key()::validOn, clock);
    }

    /**
     * Signs and anchors one record's card.
     *
     * @throws DossierException if the transaction fails
     */
    public IssuedCard issue(TrainingRecord record) throws DossierException {
        Anchoring.Prepared prepared = anchoring.prepare(0, record);
        prepared = prepared.withCard(
                issuer.issue(record, prepared.commitment(), clock.instant()),
                record.validUntil().orElse(null));
        List<Anchoring.Prepared> batch = List.of(prepared);
        List<String> commitments = Anchoring.commitments(batch);
        Notary.Committed committed = notary.submit("anchorBatch", Anchoring.batchJson(batch));
        List<Anchoring.Result> results;
        try {
            results = Anchoring.parseResults(committed.result(), commitments);
        } catch (IOException e) {
            throw new DossierException(
                    "anchorBatch answered unexpectedly: " + e.getMessage(), committed.txId(), null, e);
        }
        return new IssuedCard(
                prepared.card().text(),
                commitments.get(0),
                results.get(0).outcome(),
                prepared.card().digest(),
                results.get(1).outcome(),
                committed.txId(),
                committed.block());
    }

    /** @return the file of a record's card in a directory of {@code dossier anchor --cards} */
    public static Path file(Path directory, TrainingRecord record) {
        return BulkCards.file(directory, record.recordId(), record.version());
    }
}
