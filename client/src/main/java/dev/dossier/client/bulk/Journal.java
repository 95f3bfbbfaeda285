package dev.dossier.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The durable journal of a bulk upload's committed batches, beside its receipts file. JSON Lines: a header naming the
 * input and the batch size, then one line per committed batch, appended and fsynced only after the batch's block is
 * durable on the ledger and its receipts are fsynced:
 *
 * <pre>{@code
 * {"journal":1,"input":"/abs/trainings.csv","inputBytes":4403414,"batchSize":5000}
 * {"batch":0,"entries":5000,"digest":"<sha-256 of the batch's commitments>","tx_id":"...","block":3,"receipts":1234567}
 * }</pre>
 *
 * <p>An upload with cards ({@link BulkCards}) names the card key in its header, {@code "cards":"<key id>"}, and the
 * cards' signing time, {@code "cardsSignedAt":<seconds since 1970>}, chosen when the journal is started and kept by
 * every later run; each batch line lists the positions in the batch of the records that got no card file,
 * {@code "withoutCard":[...]} (refused by the ledger).
 *
 * <p>{@code receipts} is the receipts file's length once that batch's receipts were written. Opening an existing
 * journal cuts the receipts file back to the largest such length, dropping receipts of batches whose journal line was
 * never written (a crash between the two); those batches are submitted again and the contract reports their
 * commitments {@code ALREADY_ANCHORED}. A torn last line (a crash while appending) is ignored.
 */
final class Journal implements Closeable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FORMAT = 1;

    private static final String SIGNED_AT = "cardsSignedAt";
    private static final String WITHOUT_CARD = "withoutCard";
    private static final int[] NONE = new int[0];

    private final FileChannel channel;
    private final Map<Long, byte[]> committed;
    private final Map<Long, int[]> withoutCard;
    private final long receiptsLength;
    private final Instant cardsSignedAt;

    private Journal(
            FileChannel channel,
            Map<Long, byte[]> committed,
            Map<Long, int[]> withoutCard,
            long receiptsLength,
            Instant cardsSignedAt) {
        this.channel = channel;
        this.committed = committed;
        this.withoutCard = withoutCard;
        this.receiptsLength = receiptsLength;
        this.cardsSignedAt = cardsSignedAt;
    }

    /**
     * Opens (or starts) the journal of an upload.
     *
     * @throws IOException if it cannot be read or written, or belongs to another input or batch size
     */
    static Journal open(Path file, Path input, int batchSize) throws IOException {
        return open(file, input, batchSize, null, null);
    }

    /**
     * Opens (or starts) the journal of an upload with cards signed by key {@code cardKeyId}: a new journal records
     * {@code signedAt} as the cards' signing time, an existing one keeps its own ({@link #cardsSignedAt}).
     *
     * @param cardKeyId the card key's id, or null for an upload without cards
     * @throws IOException if it cannot be read or written, or belongs to another input, batch size or card key
     */
    static Journal open(Path file, Path input, int batchSize, String cardKeyId, Instant signedAt) throws IOException {
        ObjectNode header = MAPPER.createObjectNode()
                .put("journal", FORMAT)
                .put("input", input.toAbsolutePath().normalize().toString())
                .put("inputBytes", Files.size(input))
                .put("batchSize", batchSize);
        if (cardKeyId != null) {
            header.put("cards", cardKeyId);
        }
        Instant cardsSignedAt = signedAt;
        Map<Long, byte[]> committed = new HashMap<>();
        Map<Long, int[]> withoutCard = new HashMap<>();
        long receipts = 0;
        long validLength = 0;
        if (Files.exists(file)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String first = reader.readLine();
                if (first != null) {
                    JsonNode existing = parse(first);
                    JsonNode existingSignedAt = existing instanceof ObjectNode o ? o.remove(SIGNED_AT) : null;
                    if (existing == null || !existing.toString().equals(header.toString())) {
                        throw new IOException("journal " + file + " belongs to another upload (" + first
                                + "); this one is " + header + ". Use the same input and batch size, or remove the"
                                + " journal and receipts to start afresh (or, to add cards to records anchored"
                                + " already, write to another --out: their records answer ALREADY_ANCHORED)");
                    }
                    if (cardKeyId != null) {
                        if (existingSignedAt == null || !existingSignedAt.canConvertToLong()) {
                            throw new IOException("journal " + file + " names a card key but no " + SIGNED_AT);
                        }
                        cardsSignedAt = Instant.ofEpochSecond(existingSignedAt.asLong());
                    }
                    validLength = first.getBytes(StandardCharsets.UTF_8).length + 1;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        JsonNode entry = parse(line);
                        if (entry == null || !entry.has("batch")) {
                            break; // torn by a crash: this line and anything after it are ignored
                        }
                        long batch = entry.get("batch").asLong();
                        committed.put(
                                batch,
                                HexFormat.of().parseHex(entry.get("digest").asText()));
                        JsonNode skipped = entry.get(WITHOUT_CARD);
                        if (skipped != null && !skipped.isEmpty()) {
                            int[] positions = new int[skipped.size()];
                            for (int i = 0; i < positions.length; i++) {
                                positions[i] = skipped.get(i).asInt();
                            }
                            withoutCard.put(batch, positions);
                        }
                        receipts = Math.max(receipts, entry.get("receipts").asLong());
                        validLength += line.getBytes(StandardCharsets.UTF_8).length + 1;
                    }
                }
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (validLength == 0) {
                channel.truncate(0);
                if (cardKeyId != null) {
                    header.put(SIGNED_AT, cardsSignedAt.getEpochSecond());
                }
                write(channel, MAPPER.writeValueAsString(header));
            } else {
                channel.truncate(validLength);
                channel.position(validLength);
            }
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new Journal(channel, committed, withoutCard, receipts, cardsSignedAt);
    }

    /**
     * Opens the output a journal vouches for (receipts, revocations) for appending, cut back to the length its last
     * journaled line recorded.
     *
     * @throws IOException if it is shorter than that: it was changed since
     */
    static FileChannel openOutput(Journal journal, BulkOptions options) throws IOException {
        long keep = journal.size() == 0 ? 0 : journal.receiptsLength();
        if (keep > 0 && (!Files.exists(options.receipts()) || Files.size(options.receipts()) < keep)) {
            throw new IOException("receipts file " + options.receipts() + " is shorter than its journal records ("
                    + keep + " bytes): it was changed since; remove it and " + options.journal()
                    + " to start afresh");
        }
        FileChannel channel = FileChannel.open(options.receipts(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(keep);
        channel.position(keep);
        channel.force(true);
        return channel;
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return true if batch {@code index} with exactly these commitments ({@code digest}) is committed */
    boolean committed(long index, byte[] digest) {
        byte[] known = committed.get(index);
        return known != null && Arrays.equals(known, digest);
    }

    /** @return the signing time of the upload's cards, or null for an upload without cards */
    Instant cardsSignedAt() {
        return cardsSignedAt;
    }

    /** @return the positions in committed batch {@code index} of the records that got no card file, ascending */
    int[] withoutCard(long index) {
        return withoutCard.getOrDefault(index, NONE);
    }

    /** @return the number of batches the journal records */
    int size() {
        return committed.size();
    }

    /** @return the length the receipts file had when the last journaled batch was written */
    long receiptsLength() {
        return receiptsLength;
    }

    /**
     * Appends a committed batch and fsyncs. Callers serialise calls.
     *
     * @param withoutCard in an upload with cards, the positions of the records that got no card file, else null
     */
    void append(long index, int entries, byte[] digest, String txId, long block, long receiptsLength, int[] withoutCard)
            throws IOException {
        ObjectNode line = MAPPER.createObjectNode()
                .put("batch", index)
                .put("entries", entries)
                .put("digest", HexFormat.of().formatHex(digest))
                .put("tx_id", txId)
                .put("block", block)
                .put("receipts", receiptsLength);
        if (withoutCard != null) {
            ArrayNode positions = line.putArray(WITHOUT_CARD);
            for (int position : withoutCard) {
                positions.add(position);
            }
        }
        write(channel, MAPPER.writeValueAsString(line));
        channel.force(false);
    }

    private static void write(FileChannel channel, String line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
