package dev.dossier.client.bulk;

import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.record.Violation;
import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The inspector's cards of a bulk upload ({@code dossier anchor --cards DIR}): each record's card is signed as the row
 * is prepared and anchored as an entry of kind {@code card} right after its record's entry, in the same
 * {@code anchorBatch} transaction, so the ledger never holds a card without its record. A card file
 * {@code <record id>-v<version>.card} is written only once that transaction has committed, and before the batch's
 * journal line.
 *
 * <p>Every card of an upload carries the same signing time, chosen when its journal is started and kept in the
 * journal's header; signatures are deterministic (RFC 6979). A resumed upload therefore signs the very same cards: a
 * batch submitted again after a crash finds both its records and its cards {@link Outcome#ALREADY_ANCHORED}, never a
 * second card for a record. Card files are not fsynced one by one (that would cost a disk flush per record); a card
 * file that a crash lost or cut, of a batch the journal holds, is written again by the next run, byte for byte.
 */
public final class BulkCards {
    /** Signs one record's card; {@code dev.dossier.client.card.CardIssuer#issue} is one. */
    @FunctionalInterface
    public interface Signer {
        /**
         * @param commitment the record's commitment, 32 bytes
         * @return the card's text ({@code DC1:...})
         */
        String sign(TrainingRecord record, byte[] commitment, Instant signedAt);
    }

    private final Signer signer;
    private final String keyId;
    private final Predicate<LocalDate> maySignOn;
    private final Clock clock;

    /**
     * @param signer signs with the organisation's card key
     * @param keyId that key's id, 16 hex digits: an upload's journal is bound to it
     * @param maySignOn whether the key may sign on a day (UTC), as the trust file lists its validity
     * @param clock gives the signing time of a new upload
     */
    public BulkCards(Signer signer, String keyId, Predicate<LocalDate> maySignOn, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.maySignOn = Objects.requireNonNull(maySignOn, "maySignOn");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    String keyId() {
        return keyId;
    }

    /** @return the signing time of a new upload's cards, in whole seconds as a card holds it */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @return {@code signedAt}, the upload's signing time
     * @throws IllegalArgumentException if the key may not sign then: no card of the upload could be signed
     */
    Instant checkKey(Instant signedAt) {
        LocalDate day = LocalDate.ofInstant(signedAt, ZoneOffset.UTC);
        if (!maySignOn.test(day)) {
            throw new IllegalArgumentException("card key " + keyId + " may not sign on " + day + ", the signing day of"
                    + " this upload's cards: see its validity in the trust file");
        }
        return signedAt;
    }

    /**
     * @param row a valid row
     * @return {@code prepared} with its record's card, signed at {@code signedAt}; or the row refused, with the reason,
     *     if no card can hold its record (a name longer than a card takes, say): its record is then not anchored
     *     either, since an upload with cards anchors every record with its card
     */
    Object sign(ValidatedRow row, Anchoring.Prepared prepared, Instant signedAt) {
        TrainingRecord record = row.record();
        try {
            return prepared.withCard(
                    signer.sign(record, prepared.commitment(), signedAt),
                    record.validUntil().orElse(null));
        } catch (IllegalArgumentException e) {
            return new ValidatedRow(
                    row.line(), row.recordId(), null, List.of(new Violation("card", "no card: " + e.getMessage())));
        }
    }

    /**
     * @return the file of a record's card in {@code directory}: {@code <record id>-v<version>.card} when the record id
     *     is file-safe (letters, digits, '.', '_', '-', not starting with '.'); otherwise the id made file-safe followed
     *     by the first 8 hex digits of the SHA-256 of the exact id, so that ids such as {@code A/1} and {@code A:1} get
     *     files of their own instead of overwriting each other's card
     */
    public static Path file(Path directory, String recordId, int version) {
        String safe = recordId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(recordId) || safe.startsWith(".")) {
            safe = safe + "~" + HexFormat.of().formatHex(Sha256.of(recordId), 0, 4);
        }
        return directory.resolve(safe + "-v" + version + ".card");
    }

    /**
     * Writes the card file of every record of a committed batch whose record and card entries are this organisation's
     * (neither {@link Outcome#CONFLICT} nor {@link Outcome#REFUSED}).
     *
     * @param results the contract's answer: each record's result followed by its card's
     * @param errors where a card refused by the ledger is reported (its record's refusal is reported with the record)
     * @return the positions in the batch of the records that got no card file, for the journal
     */
    static int[] writeCommitted(
            Path directory, List<Anchoring.Prepared> batch, List<Anchoring.Result> results, ErrorReport errors)
            throws IOException {
        int[] skipped = new int[0];
        for (int i = 0; i < batch.size(); i++) {
            Anchoring.Result card = results.get(2 * i + 1);
            if (card.outcome() == Outcome.CONFLICT) {
                Anchoring.Prepared p = batch.get(i);
                errors.add(p.line(), p.recordId(), "card", card.outcome() + ": " + card.reason());
            }
            if (ours(results.get(2 * i).outcome()) && ours(card.outcome())) {
                write(directory, batch.get(i));
            } else {
                skipped = java.util.Arrays.copyOf(skipped, skipped.length + 1);
                skipped[skipped.length - 1] = i;
            }
        }
        return skipped;
    }

    /**
     * Writes again the card files of a batch the journal holds that are missing or of the wrong length (a crash
     * lost them), except those of the records that got none ({@code skipped}, from the journal).
     *
     * @return how many card files were written again
     */
    static long restore(Path directory, List<Anchoring.Prepared> batch, int[] skipped) throws IOException {
        long written = 0;
        for (int i = 0; i < batch.size(); i++) {
            Anchoring.Prepared p = batch.get(i);
            Path file = file(directory, p.recordId(), p.version());
            if (java.util.Arrays.binarySearch(skipped, i) < 0
                    && (!Files.exists(file) || Files.size(file) != bytes(p).length)) {
                write(directory, p);
                written++;
            }
        }
        return written;
    }

    private static boolean ours(Outcome outcome) {
        return outcome != Outcome.CONFLICT && outcome != Outcome.REFUSED;
    }

    private static byte[] bytes(Anchoring.Prepared p) {
        return (p.card().text() + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a card file whole or not at all: a temporary file renamed over it. */
    private static void write(Path directory, Anchoring.Prepared p) throws IOException {
        Path file = file(directory, p.recordId(), p.version());
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes(p));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
