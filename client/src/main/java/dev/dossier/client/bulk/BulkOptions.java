package dev.dossier.client.bulk;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a bulk upload ({@code Dossier.anchorAll}, {@link BulkAnchorer}). Immutable; {@code with*} return modified copies.
 *
 * @param receipts the receipts file (JSON Lines, one {@code AnchorReceipt} a line); the journal of committed batches is
 *     written beside it, with {@code .journal} appended to its name
 * @param errors the error report (CSV: {@code line,record_id,field,reason}), rewritten by each run
 * @param batchSize valid rows per {@code anchorBatch} transaction, 1 to 5,000, or {@link #AUTOMATIC}
 * @param inFlight transactions submitted and not yet committed at most, 1 to 64
 * @param threads threads validating and hashing rows, 1 to 64
 * @param listener told of progress
 * @param cards in an anchoring upload, the directory of the inspector's cards to sign and anchor with their records
 *     ({@link BulkCards}), or null for none
 */
public record BulkOptions(
        Path receipts, Path errors, int batchSize, int inFlight, int threads, BulkListener listener, Path cards) {
    /** The contract's limit on entries per {@code anchorBatch} call. */
    public static final int MAX_BATCH = 5_000;
    /** The most records per batch with cards: two entries each. */
    public static final int MAX_BATCH_WITH_CARDS = MAX_BATCH / 2;
    /**
     * Batch size chosen from the file's row count: the rows divided by 4 × {@code inFlight}, between 100 and
     * {@value #MAX_BATCH}, so that small files still keep several transactions in flight.
     */
    public static final int AUTOMATIC = 0;

    public BulkOptions {
        Objects.requireNonNull(receipts, "receipts");
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(listener, "listener");
        if (batchSize < 0 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException(
                    "batchSize must be 1 to " + MAX_BATCH + " or AUTOMATIC, got " + batchSize);
        }
        if (inFlight < 1 || inFlight > 64) {
            throw new IllegalArgumentException("inFlight must be 1 to 64, got " + inFlight);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1 to 64, got " + threads);
        }
        if (cards != null && batchSize > MAX_BATCH_WITH_CARDS) {
            throw new IllegalArgumentException(
                    "with cards a batch holds two entries per record: batchSize must be 1 to " + MAX_BATCH_WITH_CARDS
                            + " or AUTOMATIC, got " + batchSize);
        }
    }

    /**
     * Defaults for an input file: {@code <outDir>/<name>.receipts.jsonl} and {@code <outDir>/<name>.errors.csv} (the
     * input's name without its extension), {@link #AUTOMATIC} batch size, 4 in flight, one validating thread per
     * processor.
     */
    public static BulkOptions forInput(Path input, Path outDir) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return new BulkOptions(
                outDir.resolve(base + ".receipts.jsonl"),
                outDir.resolve(base + ".errors.csv"),
                AUTOMATIC,
                4,
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                BulkListener.NONE,
                null);
    }

    /** @return the journal file beside the receipts */
    public Path journal() {
        return receipts.resolveSibling(receipts.getFileName() + ".journal");
    }

    /** @return the batch size for a file of {@code rows} rows: {@link #batchSize}, or the automatic choice */
    public int batchSizeFor(long rows) {
        if (batchSize != AUTOMATIC) {
            return batchSize;
        }
        long share = (rows + 4L * inFlight - 1) / (4L * inFlight);
        return (int) Math.max(100, Math.min(cards == null ? MAX_BATCH : MAX_BATCH_WITH_CARDS, share));
    }

    public BulkOptions withBatchSize(int n) {
        return new BulkOptions(receipts, errors, n, inFlight, threads, listener, cards);
    }

    public BulkOptions withInFlight(int n) {
        return new BulkOptions(receipts, errors, batchSize, n, threads, listener, cards);
    }

    public BulkOptions withThreads(int n) {
        return new BulkOptions(receipts, errors, batchSize, inFlight, n, listener, cards);
    }

    /** @return these options with cards signed, anchored and written to {@code directory}; null for none */
    public BulkOptions withCards(Path directory) {
        return new BulkOptions(receipts, errors, batchSize, inFlight, threads, listener, directory);
    }

    public BulkOptions withListener(BulkListener l) {
        return new BulkOptions(receipts, errors, batchSize, inFlight, threads, l, cards);
    }
}
