package dev.dossier.client.bulk;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.dossier.client.record.FileScan;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.record.Violation;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import dev.dossier.common.concurrent.DaemonThreads;
import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One bulk upload: a first pass over the file (row count, repeated ids), then a pipeline that holds a bounded number of
 * rows in memory at any time:
 *
 * <ol>
 *   <li>a reader thread streams rows and hands chunks of them to {@code threads} workers, which validate them and
 *       compute salts, commitments and pseudonyms;
 *   <li>the calling thread takes the chunks back in file order, writes refused rows to the error report and cuts the
 *       valid ones into batches of {@code batchSize}: batch {@code i} is always the same rows for the same file;
 *   <li>up to {@code inFlight} submitter threads each send one batch as an {@code anchorBatch} transaction (a
 *       {@code draftBatch} for an {@link Anchoring#drafting} of drafts) and wait for
 *       its block to be durable, then append its receipts (fsync) and its journal line (fsync).
 * </ol>
 *
 * <p>With cards ({@link BulkOptions#cards}, {@link BulkCards}) the workers also sign each record's card, its entry
 * goes right after its record's in the same transaction, and its file is written once the transaction has committed.
 *
 * <p>A batch already in the journal with the same commitments is not submitted again. Transient failures (node
 * unavailable, deadline, MVCC conflict) are retried with backoff; any other failure stops the upload, and what was
 * journaled stays journaled for the next run.
 */
public final class BulkAnchorer {
    private static final Logger LOG = Logger.getLogger(BulkAnchorer.class.getName());
    private static final int CHUNK = 256;
    private static final List<Object> END = java.util.Collections.unmodifiableList(new ArrayList<>());

    private final Notary notary;
    private final Anchoring anchoring;
    private final Path input;
    private final BulkOptions options;
    private final BulkCards cards;

    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong refusedRows = new AtomicLong();
    private final AtomicLong anchored = new AtomicLong();
    private final AtomicLong alreadyAnchored = new AtomicLong();
    private final AtomicLong refusedOnChain = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private final AtomicLong resumedRows = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong resumedBatches = new AtomicLong();
    private final AtomicLong cardFiles = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private int batchSize;
    private Journal journal;
    private FileChannel receipts;
    private ErrorReport errors;
    private Instant cardsSignedAt;

    /** An upload of {@code input} (CSV or JSON Lines) to {@code notary}, rows made entries by {@code anchoring}. */
    public BulkAnchorer(Notary notary, Anchoring anchoring, Path input, BulkOptions options) {
        this(notary, anchoring, input, options, null);
    }

    /**
     * An upload that also signs and anchors the cards of its records, into {@code options.cards()}.
     *
     * @param cards the organisation's card signer, or null if {@code options.cards()} is null
     * @throws IllegalArgumentException if {@code options.cards()} is set and {@code cards} is null
     */
    public BulkAnchorer(Notary notary, Anchoring anchoring, Path input, BulkOptions options, BulkCards cards) {
        this.notary = notary;
        this.anchoring = anchoring;
        this.input = input;
        this.options = options;
        this.cards = options.cards() == null ? null : cards;
        if (options.cards() != null && cards == null) {
            throw new IllegalArgumentException("issuing cards needs the organisation's card key");
        }
    }

    /** Runs the upload to its end, or to the first failure that is not transient (as {@code Dossier.anchorAll}). */
    public BulkReport run() throws IOException, DossierException, InterruptedException {
        long started = System.nanoTime();
        FileScan scan = FileScan.of(input);
        options.listener().started(scan.rows());
        RecordValidator validator = new RecordValidator(scan);
        for (Path file : List.of(options.receipts(), options.errors())) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        batchSize = options.batchSizeFor(scan.rows());
        if (cards == null) {
            journal = Journal.open(options.journal(), input, batchSize);
        } else {
            Files.createDirectories(options.cards());
            journal = Journal.open(options.journal(), input, batchSize, cards.keyId(), cards.now());
            cardsSignedAt = cards.checkKey(journal.cardsSignedAt());
        }
        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), DaemonThreads.named("validate"));
        ExecutorService submitters = Executors.newFixedThreadPool(options.inFlight(), DaemonThreads.named("submit"));
        Thread reader = null;
        try {
            receipts = Journal.openOutput(journal, options);
            errors = new ErrorReport(options.errors());
            BlockingQueue<Future<List<Object>>> chunks = new ArrayBlockingQueue<>(options.threads() * 4);
            reader = new Thread(() -> read(validator, workers, chunks), "read-" + input.getFileName());
            reader.setDaemon(true);
            reader.start();
            Semaphore slots = new Semaphore(options.inFlight());
            assemble(chunks, slots, submitters);
            slots.acquire(options.inFlight()); // every submitted batch has finished
        } finally {
            if (reader != null) {
                reader.interrupt();
            }
            workers.shutdownNow();
            submitters.shutdownNow();
            closeAll();
        }
        Retrying.rethrow(failure.get());
        return new BulkReport(
                rows.get(),
                refusedRows.get(),
                anchored.get(),
                alreadyAnchored.get(),
                refusedOnChain.get(),
                resumedRows.get(),
                batches.get(),
                resumedBatches.get(),
                superseded.get(),
                cardFiles.get(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The reader thread: rows in file order, in chunks, each validated and prepared by a worker; END last. */
    private void read(RecordValidator validator, ExecutorService workers, BlockingQueue<Future<List<Object>>> chunks) {
        try (RecordSource source = RecordSource.open(input)) {
            List<RawRow> chunk = new ArrayList<>(CHUNK);
            for (RawRow row = source.next(); row != null && failure.get() == null; row = source.next()) {
                chunk.add(row);
                if (chunk.size() == CHUNK) {
                    List<RawRow> full = List.copyOf(chunk);
                    chunks.put(workers.submit(() -> prepare(validator, full)));
                    chunk.clear();
                }
            }
            List<RawRow> last = List.copyOf(chunk);
            chunks.put(workers.submit(() -> prepare(validator, last)));
        } catch (IOException | RuntimeException e) {
            fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            chunks.put(CompletableFuture.completedFuture(END));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Object> prepare(RecordValidator validator, List<RawRow> chunk) {
        List<Object> out = new ArrayList<>(chunk.size());
        for (RawRow raw : chunk) {
            ValidatedRow row = validator.validate(raw);
            Violation uncorrected = row.valid() ? anchoring.problem(row.record()) : null;
            if (uncorrected != null) {
                out.add(new ValidatedRow(row.line(), row.recordId(), null, List.of(uncorrected)));
            } else if (!row.valid()) {
                out.add(row);
            } else {
                Anchoring.Prepared prepared = anchoring.prepare(row.line(), row.record());
                out.add(cards == null ? prepared : cards.sign(row, prepared, cardsSignedAt));
            }
        }
        return out;
    }

    /** Takes chunks in file order, reports refused rows and dispatches full batches. */
    private void assemble(BlockingQueue<Future<List<Object>>> chunks, Semaphore slots, ExecutorService submitters)
            throws InterruptedException, IOException {
        List<Anchoring.Prepared> batch = new ArrayList<>(batchSize);
        long batchIndex = 0;
        while (failure.get() == null) {
            List<Object> chunk;
            try {
                chunk = chunks.take().get();
            } catch (ExecutionException e) {
                fail(e.getCause() instanceof Exception cause ? cause : e);
                return;
            }
            if (chunk == END) {
                break;
            }
            for (Object item : chunk) {
                rows.incrementAndGet();
                if (item instanceof ValidatedRow refused) {
                    refusedRows.incrementAndGet();
                    for (Violation v : refused.violations()) {
                        errors.add(refused.line(), refused.recordId(), v.field(), v.reason());
                    }
                    options.listener().rowsDone(1, false);
                    continue;
                }
                batch.add((Anchoring.Prepared) item);
                if (batch.size() == batchSize) {
                    dispatch(batchIndex++, batch, slots, submitters);
                    batch = new ArrayList<>(batchSize);
                }
            }
        }
        if (!batch.isEmpty() && failure.get() == null) {
            dispatch(batchIndex, batch, slots, submitters);
        }
    }

    private void dispatch(long index, List<Anchoring.Prepared> batch, Semaphore slots, ExecutorService submitters)
            throws InterruptedException, IOException {
        byte[] digest = digest(batch);
        if (journal.committed(index, digest)) {
            if (cards != null) {
                cardFiles.addAndGet(BulkCards.restore(options.cards(), batch, journal.withoutCard(index)));
            }
            resumedBatches.incrementAndGet();
            resumedRows.addAndGet(batch.size());
            options.listener().rowsDone(batch.size(), true);
            return;
        }
        slots.acquire();
        if (failure.get() != null) {
            slots.release();
            return;
        }
        submitters.execute(() -> {
            try {
                submit(index, batch, digest);
            } catch (DossierException e) {
                refused(batch, e);
                fail(e);
            } catch (Exception e) {
                fail(e);
            } finally {
                slots.release();
            }
        });
    }

    private void submit(long index, List<Anchoring.Prepared> batch, byte[] digest)
            throws DossierException, IOException, InterruptedException {
        String entries = Anchoring.batchJson(batch);
        Notary.Committed committed = Retrying.submit(
                notary,
                "batch " + index,
                () -> failure.get() != null,
                anchoring.function(),
                anchoring.arguments(entries));
        List<String> commitments = Anchoring.commitments(batch);
        List<Anchoring.Result> results = Anchoring.parseResults(committed.result(), commitments);
        int stride = cards == null ? 1 : 2;
        StringBuilder lines = new StringBuilder(batch.size() * 330);
        long newly = 0;
        long already = 0;
        long refused = 0;
        long replaced = 0;
        for (int i = 0; i < batch.size(); i++) {
            Anchoring.Prepared p = batch.get(i);
            Anchoring.Result r = results.get(stride * i);
            appendReceipt(lines, p, commitments.get(stride * i), committed, r);
            switch (r.outcome()) {
                case ANCHORED, DRAFTED -> newly++;
                case SUPERSEDED -> {
                    newly++;
                    replaced++;
                }
                case ALREADY_ANCHORED, ALREADY_SUPERSEDED, ALREADY_DRAFTED -> already++;
                default -> { // CONFLICT, REFUSED; the outcomes of validations never answer a batch of entries
                    refused++;
                    errors.add(p.line(), p.recordId(), "commitment", r.outcome() + ": " + r.reason());
                }
            }
        }
        int[] withoutCard = cards == null ? null : BulkCards.writeCommitted(options.cards(), batch, results, errors);
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                receipts.write(buffer);
            }
            receipts.force(false);
            journal.append(
                    index, batch.size(), digest, committed.txId(), committed.block(), receipts.position(), withoutCard);
        }
        anchored.addAndGet(newly);
        alreadyAnchored.addAndGet(already);
        refusedOnChain.addAndGet(refused);
        superseded.addAndGet(replaced);
        if (withoutCard != null) {
            cardFiles.addAndGet(batch.size() - withoutCard.length);
        }
        batches.incrementAndGet();
        options.listener().rowsDone(batch.size(), true);
    }

    /** One receipt line, the JSON form of {@code dev.dossier.client.AnchorReceipt}. */
    private static void appendReceipt(
            StringBuilder out, Anchoring.Prepared p, String commitment, Notary.Committed tx, Anchoring.Result r) {
        out.append("{\"record_id\":\"");
        JsonStringEncoder.getInstance().quoteAsString(p.recordId(), out);
        out.append("\",\"version\":")
                .append(p.version())
                .append(",\"line\":")
                .append(p.line())
                .append(",\"commitment\":\"")
                .append(commitment)
                .append("\",\"salt\":\"")
                .append(HexFormat.of().formatHex(p.salt()))
                .append("\",\"tx_id\":\"")
                .append(tx.txId())
                .append("\",\"block\":")
                .append(tx.block())
                .append(",\"outcome\":\"")
                .append(r.outcome().name())
                .append('"');
        if (r.reason() != null) {
            out.append(",\"reason\":\"");
            JsonStringEncoder.getInstance().quoteAsString(r.reason(), out);
            out.append('"');
        }
        if (p.supersedes() != null) {
            out.append(",\"supersedes\":\"").append(p.supersedes()).append('"');
        }
        out.append("}\n");
    }

    /** SHA-256 of the batch's commitments (and its cards' digests), concatenated: identifies the batch in the journal. */
    private static byte[] digest(List<Anchoring.Prepared> batch) {
        MessageDigest sha = Sha256.newDigest();
        for (Anchoring.Prepared p : batch) {
            sha.update(p.commitment());
            if (p.card() != null) {
                sha.update(HexFormat.of().parseHex(p.card().digest()));
            }
        }
        return sha.digest();
    }

    /**
     * Reports each row of a batch whose transaction failed (a refusal of the whole call, such as the role policy's
     * PERMISSION_DENIED, or a failure retried in vain) in the error report, with the reason, before the run stops.
     */
    private void refused(List<Anchoring.Prepared> batch, DossierException e) {
        try {
            for (Anchoring.Prepared p : batch) {
                errors.add(p.line(), p.recordId(), "transaction", "FAILED: " + e.getMessage());
            }
        } catch (IOException io) {
            e.addSuppressed(io);
        }
    }

    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            LOG.log(Level.FINE, "bulk upload failed", e);
        }
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (java.io.Closeable c : new java.io.Closeable[] {errors, receipts, journal}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
