package dev.dossier.client.card;

import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.file.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Signs cards and anchors them beside their records: each card goes with its record in one {@code anchorBatch}
 * transaction, the record's entry first (already anchored by this organisation: nothing changes) and the card's entry,
 * of kind {@code card}, keyed by the card's digest and expiring with the record. The contract needs no change: any
 * organisation anchors only under its own name, so a card entry proves its issuer anchored that exact card, and the
 * card's signed commitment links it to the record, whose revocation or supersession the verifier reads too.
 */
public final class CardAnchoring {
    /** Cards per transaction in {@link #issueAll}: two entries each, well under the contract's 5,000. */
    static final int BATCH = 500;

    private static final HexFormat HEX = HexFormat.of();

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

    /** One record's card, signed but not yet anchored. */
    private record Signed(
            TrainingRecord record, Anchoring.Prepared prepared, String text, String digest, String entry) {}

    /**
     * Signs and anchors one record's card.
     *
     * @throws DossierException if the transaction fails
     */
    public IssuedCard issue(TrainingRecord record) throws DossierException {
        return anchor(List.of(sign(0, record))).get(0);
    }

    /**
     * Signs and anchors a card for every valid record of a file, {@value #BATCH} a transaction, and writes each
     * anchored card to {@code <record id>-v<version>.card} in {@code directory} (atomically, once anchored). Records
     * whose card file exists are skipped; invalid records are left to {@code anchorAll}'s error report.
     *
     * @return how many card files were written
     * @throws IOException if the input cannot be read or a card file cannot be written
     * @throws DossierException if a transaction fails
     */
    public long issueAll(Path input, Path directory) throws IOException, DossierException {
        Files.createDirectories(directory);
        RecordValidator validator = new RecordValidator();
        List<Signed> batch = new ArrayList<>(BATCH);
        long written = 0;
        try (RecordSource source = RecordSource.open(input)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                ValidatedRow validated = validator.validate(row);
                if (!validated.valid() || Files.exists(file(directory, validated.record()))) {
                    continue;
                }
                batch.add(sign(row.line(), validated.record()));
                if (batch.size() == BATCH) {
                    written += write(anchor(batch), directory, batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            written += write(anchor(batch), directory, batch);
        }
        return written;
    }

    /** @return the file of a record's card in {@code directory}: its record id (made file-safe) and version */
    public static Path file(Path directory, TrainingRecord record) {
        return directory.resolve(
                record.recordId().replaceAll("[^A-Za-z0-9._-]", "_") + "-v" + record.version() + ".card");
    }

    private Signed sign(long line, TrainingRecord record) {
        Anchoring.Prepared prepared = anchoring.prepare(line, record);
        String text = issuer.issue(record, prepared.commitment(), clock.instant());
        String digest = HEX.formatHex(CardVerifier.digest(text));
        return new Signed(
                record,
                prepared,
                text,
                digest,
                Anchoring.cardEntryJson(digest, record.validUntil().orElse(null)));
    }

    private List<IssuedCard> anchor(List<Signed> cards) throws DossierException {
        StringBuilder entries = new StringBuilder(cards.size() * 400).append('[');
        List<String> commitments = new ArrayList<>(cards.size() * 2);
        for (Signed card : cards) {
            entries.append(entries.length() > 1 ? "," : "")
                    .append(card.prepared().entryJson())
                    .append(',')
                    .append(card.entry());
            commitments.add(HEX.formatHex(card.prepared().commitment()));
            commitments.add(card.digest());
        }
        Notary.Committed committed =
                notary.submit("anchorBatch", entries.append(']').toString());
        List<Anchoring.Result> results;
        try {
            results = Anchoring.parseResults(committed.result(), commitments);
        } catch (IOException e) {
            throw new DossierException(
                    "anchorBatch answered unexpectedly: " + e.getMessage(), committed.txId(), null, e);
        }
        List<IssuedCard> issued = new ArrayList<>(cards.size());
        for (int i = 0; i < cards.size(); i++) {
            Signed card = cards.get(i);
            issued.add(new IssuedCard(
                    card.text(),
                    commitments.get(2 * i),
                    results.get(2 * i).outcome(),
                    card.digest(),
                    results.get(2 * i + 1).outcome(),
                    committed.txId(),
                    committed.block()));
        }
        return issued;
    }

    private static long write(List<IssuedCard> issued, Path directory, List<Signed> cards) throws IOException {
        long written = 0;
        for (int i = 0; i < issued.size(); i++) {
            if (issued.get(i).anchored()) {
                AtomicFile.write(
                        file(directory, cards.get(i).record()), issued.get(i).text() + "\n");
                written++;
            }
        }
        return written;
    }
}
