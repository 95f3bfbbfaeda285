package dev.dossier.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.bulk.Anchoring;
import dev.dossier.client.bulk.BulkAnchorer;
import dev.dossier.client.bulk.BulkOptions;
import dev.dossier.client.bulk.BulkReport;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Helpers of {@code scripts/dossier bench-bulk}.
 *
 * <ul>
 *   <li>{@code postgres JDBC-URL INPUT.csv OUTDIR [batch] [inFlight]}: the baseline. The very same bulk pipeline
 *       (streaming, validation, salts, commitments, pseudonyms, batching, receipts, journal) with PostgreSQL in the
 *       ledger's place: each batch is one transaction of multi-row {@code INSERT ... ON CONFLICT DO NOTHING} into a
 *       table keyed by commitment, committed with {@code synchronous_commit = on} (durable: WAL flushed) before its
 *       receipts are written;
 *   <li>{@code pipeline INPUT.csv OUTDIR}: the client's own ceiling: the same pipeline with a ledger that answers
 *       {@code ANCHORED} at once and stores nothing.
 * </ul>
 */
public final class BulkBench {
    private BulkBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("pipeline")) {
            pipeline(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length >= 4 && args[0].equals("postgres")) {
            int batch = args.length > 4 ? Integer.parseInt(args[4]) : BulkOptions.MAX_BATCH;
            int inFlight = args.length > 5 ? Integer.parseInt(args[5]) : 4;
            postgres(args[1], Path.of(args[2]), Path.of(args[3]), batch, inFlight);
        } else {
            System.err.println("usage: BulkBench postgres JDBC-URL INPUT.csv OUTDIR [batch] [inFlight]"
                    + " | pipeline INPUT.csv OUTDIR");
            System.exit(2);
        }
    }

    static void postgres(String url, Path input, Path outDir, int batch, int inFlight) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS anchors");
            s.execute("CREATE TABLE anchors (commitment bytea PRIMARY KEY, msp_id text NOT NULL, kind text NOT NULL,"
                    + " schema_version int NOT NULL, valid_until date, subject bytea, status text NOT NULL,"
                    + " anchored_at timestamptz NOT NULL DEFAULT now())");
            try (ResultSet r = s.executeQuery("SHOW synchronous_commit")) {
                r.next();
                System.out.println("postgres synchronous_commit=" + r.getString(1));
            }
            try (ResultSet r = s.executeQuery("SHOW fsync")) {
                r.next();
                System.out.println("postgres fsync=" + r.getString(1));
            }
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        PostgresNotary notary = new PostgresNotary(url);
        Files.createDirectories(outDir);
        BulkOptions options =
                BulkOptions.forInput(input, outDir).withBatchSize(batch).withInFlight(inFlight);
        Files.deleteIfExists(options.journal());
        try {
            BulkReport report = anchorAll(notary, key, input, options);
            System.out.printf(
                    "postgres       %d rows, %d inserted in %d transactions, %.1f s, %.0f records/s durable%n",
                    report.rows(),
                    report.anchored(),
                    report.batches(),
                    report.elapsed().toNanos() / 1e9,
                    report.committedPerSecond());
        } finally {
            notary.close();
        }
    }

    static void pipeline(Path input, Path outDir) throws Exception {
        Notary instant = new Notary() {
            private final AtomicLong n = new AtomicLong();

            @Override
            public Committed submit(String function, String... args) throws DossierException {
                try {
                    ObjectNode answer = MAPPER.createObjectNode();
                    ArrayNode results = answer.putArray("results");
                    for (JsonNode e : MAPPER.readTree(args[0])) {
                        results.addObject()
                                .put("commitment", e.get("commitment").asText())
                                .put("outcome", "ANCHORED");
                    }
                    long tx = n.incrementAndGet();
                    return new Committed("noop-" + tx, tx, answer.toString().getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new DossierException(e.getMessage(), null, "INTERNAL", e);
                }
            }

            @Override
            public byte[] evaluate(String function, String... args) {
                throw new UnsupportedOperationException();
            }
        };
        Files.createDirectories(outDir);
        BulkOptions options = BulkOptions.forInput(input, outDir);
        Files.deleteIfExists(options.journal());
        byte[] key = new byte[32];
        BulkReport report = anchorAll(instant, key, input, options);
        System.out.printf(
                "client alone   %d rows in %.1f s, %.0f records/s (no ledger)%n",
                report.rows(), report.elapsed().toNanos() / 1e9, report.committedPerSecond());
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The client's bulk pipeline over {@code notary}, with {@code key} as both salt key and pseudonym key. */
    private static BulkReport anchorAll(Notary notary, byte[] key, Path input, BulkOptions options) throws Exception {
        HmacKey hmac = HmacKey.of(key);
        return new BulkAnchorer(notary, new Anchoring(hmac, hmac), input, options).run();
    }

    /** {@link Notary#submit} of {@code anchorBatch} as one PostgreSQL transaction; one connection per thread. */
    static final class PostgresNotary implements Notary, AutoCloseable {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        private static final int ROWS_PER_STATEMENT = 500;

        private final String url;
        private final Map<Thread, Connection> connections = new ConcurrentHashMap<>();
        private final AtomicLong transactions = new AtomicLong();

        PostgresNotary(String url) {
            this.url = url;
        }

        private Connection connection() throws SQLException {
            Connection c = connections.get(Thread.currentThread());
            if (c == null) {
                c = DriverManager.getConnection(url);
                c.setAutoCommit(false);
                connections.put(Thread.currentThread(), c);
            }
            return c;
        }

        @Override
        public Committed submit(String function, String... args) throws DossierException {
            try {
                JsonNode entries = MAPPER.readTree(args[0]);
                Connection c = connection();
                ObjectNode answer = MAPPER.createObjectNode();
                ArrayNode results = answer.putArray("results");
                List<String> inserted = new ArrayList<>();
                HexFormat hex = HexFormat.of();
                for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
                    int to = Math.min(entries.size(), from + ROWS_PER_STATEMENT);
                    StringBuilder sql = new StringBuilder("INSERT INTO anchors"
                            + " (commitment, msp_id, kind, schema_version, valid_until, subject, status) VALUES ");
                    for (int i = from; i < to; i++) {
                        sql.append(i > from ? ",(?,?,?,?,?::date,?,'active')" : "(?,?,?,?,?::date,?,'active')");
                    }
                    sql.append(" ON CONFLICT (commitment) DO NOTHING RETURNING commitment");
                    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                        int k = 1;
                        for (int i = from; i < to; i++) {
                            JsonNode e = entries.get(i);
                            p.setBytes(k++, hex.parseHex(e.get("commitment").asText()));
                            p.setString(k++, "Org1MSP");
                            p.setString(k++, e.get("kind").asText());
                            p.setInt(k++, e.get("schemaVersion").asInt());
                            p.setString(
                                    k++,
                                    e.has("validUntil") ? e.get("validUntil").asText() : null);
                            p.setBytes(
                                    k++,
                                    e.has("subject")
                                            ? hex.parseHex(e.get("subject").asText())
                                            : null);
                        }
                        try (ResultSet r = p.executeQuery()) {
                            while (r.next()) {
                                inserted.add(hex.formatHex(r.getBytes(1)));
                            }
                        }
                    }
                }
                c.commit(); // synchronous_commit = on: returns once the WAL is flushed to disk
                java.util.Set<String> fresh = new java.util.HashSet<>(inserted);
                for (JsonNode e : entries) {
                    String commitment = e.get("commitment").asText();
                    results.addObject()
                            .put("commitment", commitment)
                            .put("outcome", fresh.contains(commitment) ? "ANCHORED" : "ALREADY_ANCHORED");
                }
                answer.put("anchored", fresh.size()).put("alreadyAnchored", entries.size() - fresh.size());
                long n = transactions.incrementAndGet();
                return new Committed("pg-" + n, n, answer.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException | SQLException e) {
                throw new DossierException("postgres: " + e.getMessage(), null, "INTERNAL", e);
            }
        }

        @Override
        public byte[] evaluate(String function, String... args) {
            throw new UnsupportedOperationException("the baseline only anchors");
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : connections.values()) {
                c.close();
            }
        }
    }
}
