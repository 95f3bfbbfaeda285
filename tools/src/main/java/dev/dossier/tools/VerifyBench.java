package dev.dossier.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.Connections;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.note.TrustFile;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * Measures an inspector's lookups of anchored records: first one at a time (an inspector checks one certificate), the
 * contract's {@code status} through the official fabric-gateway client, and a receipt fetched over HTTP and verified
 * offline against the node's trust file; then {@value #INSPECTORS} inspectors at once, each doing both for one
 * commitment after another, for the node's throughput of lookups. Commitments are a random sample of an anchoring
 * receipts file: two disjoint sets of {@code samples}.
 *
 * <p>The one-at-a-time lookups are measured twice: the first {@code samples} of this fresh client JVM (printed as
 * {@code status-cold} and {@code receipt-cold}: both JVMs' JIT compilers are still at work, on a node that may have
 * served no lookup yet), and, after lookups of the first set again until {@code warm-up} seconds (default
 * {@value #DEFAULT_WARMUP_SECONDS}) have passed since the first, {@code samples} lookups of the second set (printed as
 * {@code status} and {@code receipt}): a node in service, warm. Prints one line per kind: {@code <kind> n=<samples>
 * p50=<ms> p99=<ms>}, and for the concurrent run also {@code per_s=<lookups per second>} (a lookup being a status and
 * a verified receipt).
 *
 * <p>Usage: {@code VerifyBench <endpoint> <mspId> <user MSP folder> <channel> <chaincode> <node URL> <receipts.jsonl>
 * [samples] [warm-up seconds]}
 */
public final class VerifyBench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int INSPECTORS = 16;
    static final int DEFAULT_WARMUP_SECONDS = 60;

    private VerifyBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: VerifyBench <endpoint> <mspId> <user MSP folder> <channel> <chaincode>"
                    + " <node URL> <receipts.jsonl> [samples] [warm-up seconds]");
            System.exit(2);
        }
        int samples = args.length > 7 ? Integer.parseInt(args[7]) : 2_000;
        long warmupNanos = TimeUnit.SECONDS.toNanos(args.length > 8 ? Long.parseLong(args[8]) : DEFAULT_WARMUP_SECONDS);
        List<Commitment> sampled = sample(Path.of(args[6]), 2 * samples, new Random(42));
        // at least one in the first set, which the warm-up cycles through (a receipts file of one record leaves the
        // second, measured set empty)
        int half = Math.max(1, sampled.size() / 2);
        List<Commitment> first = sampled.subList(0, half);
        List<Commitment> second = sampled.subList(half, sampled.size());
        NodeApi node = new NodeApi(URI.create(args[5]));
        TrustFile trust = node.trust();
        ManagedChannel channel = Connections.channel(args[0]);
        try (Gateway gateway =
                Connections.gateway(args[1], Path.of(args[2]), channel).connect()) {
            Contract contract = gateway.getNetwork(args[3]).getContract(args[4]);
            long begin = System.nanoTime();
            oneAtATime(contract, node, trust, first, "-cold");
            for (int i = 0; System.nanoTime() - begin < warmupNanos; i = (i + 1) % first.size()) {
                lookUp(contract, node, trust, first.get(i));
            }
            oneAtATime(contract, node, trust, second, "");
            concurrently(contract, node, trust, sampled);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Each commitment's status, then its receipt, one lookup at a time; prints both kinds' percentiles. */
    private static void oneAtATime(
            Contract contract, NodeApi node, TrustFile trust, List<Commitment> commitments, String suffix)
            throws Exception {
        long[] status = new long[commitments.size()];
        long[] receipt = new long[commitments.size()];
        for (int i = 0; i < commitments.size(); i++) {
            long start = System.nanoTime();
            contract.evaluateTransaction("status", commitments.get(i).toString());
            status[i] = System.nanoTime() - start;
            start = System.nanoTime();
            node.receipt(commitments.get(i), Duration.ZERO).verify(trust);
            receipt[i] = System.nanoTime() - start;
        }
        print("status" + suffix, status);
        print("receipt" + suffix, receipt);
    }

    /** An inspector's lookup of one commitment: its status through the gateway, then its receipt, verified. */
    private static void lookUp(Contract contract, NodeApi node, TrustFile trust, Commitment commitment)
            throws Exception {
        contract.evaluateTransaction("status", commitment.toString());
        node.receipt(commitment, Duration.ZERO).verify(trust);
    }

    /** Every commitment looked up once more, by {@value #INSPECTORS} inspectors at once. */
    private static void concurrently(Contract contract, NodeApi node, TrustFile trust, List<Commitment> commitments)
            throws Exception {
        long[] lookup = new long[commitments.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService inspectors = Executors.newFixedThreadPool(INSPECTORS);
        long begin = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < INSPECTORS; t++) {
                running.add(inspectors.submit(() -> {
                    for (int i = next.getAndIncrement(); i < commitments.size(); i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        lookUp(contract, node, trust, commitments.get(i));
                        lookup[i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            inspectors.shutdownNow();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        long[] sorted = lookup.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "concurrent-%d n=%d p50=%.2f p99=%.2f per_s=%.0f%n",
                INSPECTORS,
                sorted.length,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                sorted.length / seconds);
    }

    /** Reservoir sample of the anchored commitments of a receipts file. */
    private static List<Commitment> sample(Path receipts, int size, Random random) throws Exception {
        List<Commitment> out = new ArrayList<>(size);
        long seen = 0;
        try (BufferedReader reader = Files.newBufferedReader(receipts, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                Commitment c = Commitment.fromHex(
                        MAPPER.readTree(line).path("commitment").asText());
                seen++;
                if (out.size() < size) {
                    out.add(c);
                } else {
                    long slot = (long) (random.nextDouble() * seen);
                    if (slot < size) {
                        out.set((int) slot, c);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no receipts in " + receipts);
        }
        return out;
    }

    private static void print(String kind, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%s n=%d p50=%.2f p99=%.2f%n",
                kind, sorted.length, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
