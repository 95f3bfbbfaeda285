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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Revokes the entries a CSV list names, one {@code revoke} transaction each with up to {@code inFlight} in flight, with
 * the same error report, journal and progress as {@link BulkAnchorer}. The list's header names {@code reason} and
 * either {@code commitment} (64 hex digits) or {@code record_id} (resolved to the latest anchored version through the
 * receipts of earlier uploads, a {@link ReceiptIndex}); other columns (a {@code note}, say) are ignored.
 *
 * <p>Each revocation done is written to the revocations file (JSON Lines), then to the journal, one line per input
 * line ({@code batch} is the line number, batch size 1): a re-run after a crash skips what the journal holds, and a
 * revocation repeated anyway changes nothing on the ledger (the first reason stands). Rows refused here (an unknown
 * reason, a record id no receipt names) or by the contract (not found, another organisation's entry) go to the error
 * report and the run goes on; a failure that is neither stops it.
 *
 * <pre>{@code
 * {"line":2,"record_id":"...","commitment":"<64 hex>","reason":"fraud","status":"revoked",
 *  "revoked_at":"2025-04-01T08:00:00Z","tx_id":"...","block":17}
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

    /** Runs the list to its end, or to the first failure that refuses no single row. */
    public Report run() throws IOException, DossierException, InterruptedException {
        long started = System.nanoTime();
        options.listener().started(countRows());
        journal = Journal.open(options.journal(), input, 1);
        ExecutorService submitters = Executors.newFixedThreadPool(options.inFlight(), Retrying.daemon("revoke"));
        Semaphore slots = new Semaphore(options.inFlight());
        try (MappingIterator<Map<String, String>> it = open()) {
            out = openOutput();
            errors = new ErrorReport(options.errors());
            while (failure.get() == null && it.hasNextValue()) {
                long line = it.getCurrentLocation().getLineNr();
                Map<String, String> row = it.nextValue();
                rows.incrementAndGet();
                String reason = row.getOrDefault("reason", "").strip();
                String recordId = row.get("record_id");
                String commitment = commitment(line, row, recordId, reason);
                if (commitment == null) {
                    continue;
                }
                byte[] digest = digest(commitment + " " + reason);
                if (journal.committed(line, digest)) {
                    resumed.incrementAndGet();
                    options.listener().rowsDone(1, true);
                    continue;
                }
                slots.acquire();
                submitters.execute(() -> {
                    try {
                        revoke(line, recordId, commitment, reason, digest);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
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

    private void revoke(long line, String recordId, String commitment, String reason, byte[] digest)
            throws IOException, DossierException, InterruptedException {
        Notary.Committed committed;
        try {
            committed =
                    Retrying.submit(notary, "line " + line, () -> failure.get() != null, "revoke", commitment, reason);
        } catch (DossierException e) {
            if (!refusedByContract(e)) {
                throw e;
            }
            String message = e.getMessage();
            refuse(line, recordId, "commitment", message.substring(message.indexOf("chaincode response")));
            return;
        }
        JsonNode entry = MAPPER.readTree(new String(committed.result(), StandardCharsets.UTF_8));
        StringBuilder s = new StringBuilder(400).append("{\"line\":").append(line);
        if (recordId != null) {
            s.append(",\"record_id\":\"");
            JsonStringEncoder.getInstance().quoteAsString(recordId, s);
            s.append('"');
        }
        s.append(",\"commitment\":\"").append(commitment).append("\",\"reason\":\"");
        JsonStringEncoder.getInstance()
                .quoteAsString(entry.path("revocationReason").asText(reason), s);
        s.append("\",\"status\":\"").append(entry.path("status").asText()).append("\",\"revoked_at\":\"");
        JsonStringEncoder.getInstance().quoteAsString(entry.path("revokedAt").asText(""), s);
        s.append("\",\"tx_id\":\"")
                .append(committed.txId())
                .append("\",\"block\":")
                .append(committed.block());
        byte[] bytes = s.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
            journal.append(line, 1, digest, committed.txId(), committed.block(), out.position());
        }
        revoked.incrementAndGet();
        options.listener().rowsDone(1, true);
    }

    /**
     * @return true if the contract refused the call at endorsement (not found, another organisation's entry): the
     *     gateway's {@code ABORTED} "chaincode response 500, ..." (a Fabric peer answers the same)
     */
    static boolean refusedByContract(DossierException e) {
        return "ABORTED".equals(e.getCode())
                && e.getMessage() != null
                && e.getMessage().contains("chaincode response");
    }

    private FileChannel openOutput() throws IOException {
        Path parent = options.receipts().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Journal.openOutput(journal, options);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is a mandatory JDK algorithm", e);
        }
    }
}
