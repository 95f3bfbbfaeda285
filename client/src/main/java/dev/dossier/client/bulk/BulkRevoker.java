package dev.dossier.client.bulk;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Revokes the entries a CSV list names in {@code revokeBatch} transactions (batches of the options' batch size, by
 * default from the row count, 100 to 5,000) with up to {@code inFlight} in flight, with the same error report, journal
 * and progress as {@link BulkAnchorer}. The list's header names {@code reason} and
 * either {@code commitment} (64 hex digits) or {@code record_id} (resolved to the latest anchored version through the
 * receipts of earlier uploads, a {@link ReceiptIndex}); other columns (a {@code note}, say) are ignored.
 *
 * <p>Each committed batch's revocations are written to the revocations file (JSON Lines), then the batch to the
 * journal: a re-run after a crash skips what the journal holds, and a revocation repeated anyway changes nothing on the
 * ledger ({@code ALREADY_REVOKED}; the first reason stands). Rows refused here (an unknown reason, a record id no
 * receipt names) or by the contract ({@code REFUSED}: not anchored, another organisation's entry) go to the error
 * report and the run goes on; any other failure stops it.
 *
 * <pre>{@code
 * {"line":2,"record_id":"...","commitment":"<64 hex>","reason":"fraud","outcome":"REVOKED","tx_id":"...","block":17}
 * }</pre>
 */
public final class BulkRevoker {
    /** The reason codes the notary contract accepts, as {@code docs/policy.md} lists them. */
    public static final List<String> REASONS =
            List.of("issued_in_error", "fraud", "withdrawn", "accreditation_withdrawn", "other");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * What a revocation run did.
     *
     * @param rows rows read
     * @param refused rows refused, here or by the contract (in the error report)
     * @param revoked entries revoked (or found revoked) by this run's transactions
     * @param resumed rows found done in the journal of an earlier run
     * @param elapsed wall time
     */
    public record Report(long rows, long refused, long revoked, long resumed, Duration elapsed) {}

    private final Notary notary;
    private final Path input;
    private final ReceiptIndex earlier;
    private final BulkOptions options;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong revoked = new AtomicLong();
    private final AtomicLong resumed = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private Journal journal;
    private FileChannel out;
    private ErrorReport errors;

    /**
     * @param earlier resolves record ids to commitments ({@link ReceiptIndex#empty()} if the list names commitments)
     * @param options the revocations file is {@link BulkOptions#receipts()}, the journal beside it
     */
    public BulkRevoker(Notary notary, Path input, ReceiptIndex earlier, BulkOptions options) {
        this.notary = notary;
        this.input = input;
        this.earlier = earlier;
        this.options = options;
    }

    /** A row of the list, resolved to a commitment. */
    private record Row(long line, String recordId, String commitment, String reason) {}

    /** Runs the list to its end, or to the first failure that refuses no single row. */
    public Report run() throws IOException, DossierException, InterruptedException {
        long started = System.nanoTime();
        long total = countRows();
        options.listener().started(total);
        int batchSize = options.batchSizeFor(total);
        journal = Journal.open(options.journal(), input, batchSize);
        ExecutorService submitters = Executors.newFixedThreadPool(options.inFlight(), DaemonThreads.named("revoke"));
        Semaphore slots = new Semaphore(options.inFlight());
        try (MappingIterator<Map<String, String>> it = open()) {
            out = openOutput();
            errors = new ErrorReport(options.errors());
            List<Row> batch = new ArrayList<>(batchSize);
            long index = 0;
            while (failure.get() == null && it.hasNextValue()) {
                long line = it.getCurrentLocation().getLineNr();
                Map<String, String> row = it.nextValue();
                rows.incrementAndGet();
                String reason = row.getOrDefault("reason", "").strip();
                String recordId = row.get("record_id");
                String commitment = commitment(line, row, recordId, reason);
                if (commitment != null) {
                    batch.add(new Row(line, recordId, commitment, reason));
                }
                if (batch.size() == batchSize) {
                    dispatch(index++, batch, slots, submitters);
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty() && failure.get() == null) {
                dispatch(index, batch, slots, submitters);
            }
            slots.acquire(options.inFlight());
        } finally {
            submitters.shutdownNow();
            for (java.io.Closeable c : new java.io.Closeable[] {errors, out, journal}) {
                if (c != null) {
                    c.close();
                }
            }
        }
        Retrying.rethrow(failure.get());
        return new Report(
                rows.get(), refused.get(), revoked.get(), resumed.get(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** Submits a batch unless the journal holds it, with at most {@code inFlight} batches under way. */
    private void dispatch(long index, List<Row> batch, Semaphore slots, ExecutorService submitters)
            throws InterruptedException {
        byte[] digest = digest(batch);
        if (journal.committed(index, digest)) {
            resumed.addAndGet(batch.size());
            options.listener().rowsDone(batch.size(), true);
            return;
        }
        slots.acquire();
        submitters.execute(() -> {
            try {
                revoke(index, batch, digest);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                slots.release();
            }
        });
    }

    private MappingIterator<Map<String, String>> open() throws IOException {
        CsvMapper csv =
                CsvMapper.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
        MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(input.toFile());
        CsvSchema schema = (CsvSchema) it.getParserSchema();
        if (schema.column("reason") == null
                || (schema.column("commitment") == null) == (schema.column("record_id") == null)) {
            it.close();
            throw new IOException(input + ": the header must name reason and one of commitment or record_id, got "
                    + schema.getColumnDesc());
        }
        return it;
    }

    private long countRows() throws IOException {
        try (var lines = Files.lines(input, StandardCharsets.UTF_8)) {
            return Math.max(0, lines.filter(l -> !l.isBlank()).count() - 1);
        }
    }

    /** @return the row's commitment, or null after reporting why the row is refused */
    private String commitment(long line, Map<String, String> row, String recordId, String reason) throws IOException {
        if (!REASONS.contains(reason)) {
            return refuse(line, recordId, "reason", "reason must be one of " + REASONS + ", got '" + reason + "'");
        }
        if (recordId == null) {
            String hex = row.getOrDefault("commitment", "").strip().toLowerCase(Locale.ROOT);
            return hex.matches("[0-9a-f]{64}")
                    ? hex
                    : refuse(line, null, "commitment", "commitment must be 64 hexadecimal digits");
        }
        ReceiptIndex.Anchored anchored = earlier.latest(recordId.strip());
        return anchored != null
                ? anchored.commitment()
                : refuse(line, recordId, "record_id", "no receipt names this record id (give --receipts)");
    }

    private String refuse(long line, String recordId, String field, String why) throws IOException {
        errors.add(line, recordId, field, why);
        refused.incrementAndGet();
        options.listener().rowsDone(1, false);
        return null;
    }

    private void revoke(long index, List<Row> batch, byte[] digest)
            throws IOException, DossierException, InterruptedException {
        StringBuilder list = new StringBuilder(batch.size() * 110).append('[');
        for (Row r : batch) {
            list.append(list.length() > 1 ? "," : "")
                    .append("{\"commitment\":\"")
                    .append(r.commitment())
                    .append("\",\"reason\":\"")
                    .append(r.reason())
                    .append("\"}");
        }
        Notary.Committed committed = Retrying.submit(
                notary,
                "batch " + index,
                () -> failure.get() != null,
                "revokeBatch",
                list.append(']').toString());
        JsonNode results = MAPPER.readTree(new String(committed.result(), StandardCharsets.UTF_8))
                .path("results");
        if (!results.isArray() || results.size() != batch.size()) {
            throw new IOException("revokeBatch answered " + results.size() + " results for " + batch.size() + " rows");
        }
        StringBuilder lines = new StringBuilder(batch.size() * 300);
        long done = 0;
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            String outcome = results.get(i).path("outcome").asText();
            if (!outcome.equals("REVOKED") && !outcome.equals("ALREADY_REVOKED")) {
                refuse(
                        r.line(),
                        r.recordId(),
                        "commitment",
                        outcome + ": " + results.get(i).path("reason").asText());
                continue;
            }
            done++;
            lines.append("{\"line\":").append(r.line());
            if (r.recordId() != null) {
                lines.append(",\"record_id\":\"");
                JsonStringEncoder.getInstance().quoteAsString(r.recordId(), lines);
                lines.append('"');
            }
            lines.append(",\"commitment\":\"")
                    .append(r.commitment())
                    .append("\",\"reason\":\"")
                    .append(r.reason())
                    .append("\",\"outcome\":\"")
                    .append(outcome)
                    .append("\",\"tx_id\":\"")
                    .append(committed.txId())
                    .append("\",\"block\":")
                    .append(committed.block())
                    .append("}\n");
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
            journal.append(index, batch.size(), digest, committed.txId(), committed.block(), out.position(), null);
        }
        revoked.addAndGet(done);
        options.listener().rowsDone(done, true);
    }

    private FileChannel openOutput() throws IOException {
        Path parent = options.receipts().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Journal.openOutput(journal, options);
    }

    /** SHA-256 of the batch's commitments and reasons: identifies the batch in the journal. */
    private static byte[] digest(List<Row> batch) {
        MessageDigest sha = Sha256.newDigest();
        for (Row r : batch) {
            sha.update((r.commitment() + " " + r.reason() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }
}
