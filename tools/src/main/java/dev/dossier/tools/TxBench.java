package dev.dossier.tools;

import dev.dossier.client.transport.Connections;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * Measures single-record transactions through the official fabric-gateway client: {@code clients} threads each
 * submit {@code anchor} of a fresh commitment and wait for its commit status (VALID only after the block is fsynced),
 * for {@code seconds} after a warm-up of {@code warm-up} seconds (default {@value #DEFAULT_WARMUP_SECONDS}: about
 * what the JIT compilers of a fresh node and client need before the rate stops climbing on two cores). Prints the
 * warm-up's rate apart, then the measured window's throughput and latency percentiles.
 *
 * <p>Two lines mark the measured window for {@code scripts/dossier}, which reads the nodes' CPU time at each:
 * {@code measuring} when it starts and {@code measured <n>} when it ends, {@code n} the transactions committed within
 * it (by the time their commit status came back), by which the script divides that CPU time. Its own CPU time over
 * the same window, the client's, is printed with the results: the two share the machine's cores.
 *
 * <p>Usage: {@code TxBench <endpoint> <mspId> <user MSP folder> <channel> <chaincode> [seconds] [clients]
 * [warm-up seconds]}
 */
public final class TxBench {
    static final int DEFAULT_WARMUP_SECONDS = 60;

    private TxBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: TxBench <endpoint> <mspId> <user MSP folder> <channel> <chaincode> [seconds]"
                    + " [clients] [warm-up seconds]");
            System.exit(2);
        }
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 30;
        int clients = args.length > 6 ? Integer.parseInt(args[6]) : 64;
        int warmupSeconds = args.length > 7 ? Integer.parseInt(args[7]) : DEFAULT_WARMUP_SECONDS;
        ManagedChannel channel = Connections.channel(args[0]);
        try (Gateway gateway =
                Connections.gateway(args[1], Path.of(args[2]), channel).connect()) {
            Contract contract = gateway.getNetwork(args[3]).getContract(args[4]);
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
            long[][] latencies = new long[clients][];
            int[] counts = new int[clients];
            AtomicLong failures = new AtomicLong();
            AtomicLong inWarmup = new AtomicLong();
            AtomicLong inWindow = new AtomicLong();
            Thread[] threads = new Thread[clients];
            for (int c = 0; c < clients; c++) {
                int id = c;
                latencies[id] = new long[1 << 16];
                threads[c] = new Thread(() -> {
                    byte[] commitment = new byte[32];
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            return;
                        }
                        ThreadLocalRandom.current().nextBytes(commitment);
                        try {
                            contract.submitTransaction("anchor", HexFormat.of().formatHex(commitment), "record");
                        } catch (Exception e) {
                            if (failures.incrementAndGet() <= 5) {
                                System.err.println("failed: " + e);
                            }
                            continue;
                        }
                        long done = System.nanoTime();
                        if (done < warmupEnd) {
                            inWarmup.incrementAndGet();
                        } else if (done <= end) {
                            inWindow.incrementAndGet();
                        }
                        if (start >= warmupEnd && done <= end) {
                            if (counts[id] == latencies[id].length) {
                                latencies[id] = Arrays.copyOf(latencies[id], counts[id] * 2);
                            }
                            latencies[id][counts[id]++] = done - start;
                        }
                    }
                });
                threads[c].start();
            }
            sleepUntil(warmupEnd);
            System.out.println("measuring");
            System.out.flush();
            Duration cpuBefore = processCpu();
            sleepUntil(end);
            Duration clientCpu = processCpu().minus(cpuBefore);
            long committedInWindow = inWindow.get();
            System.out.println("measured " + committedInWindow);
            System.out.flush();
            for (Thread thread : threads) {
                thread.join();
            }
            long total = Arrays.stream(counts).asLongStream().sum();
            long[] all = new long[(int) total];
            int at = 0;
            for (int c = 0; c < clients; c++) {
                System.arraycopy(latencies[c], 0, all, at, counts[c]);
                at += counts[c];
            }
            Arrays.sort(all);
            System.out.printf(
                    "single-record anchor transactions, %d clients, %d s measured after %d s warm-up%n",
                    clients, seconds, warmupSeconds);
            System.out.printf(
                    "throughput  %.0f tx/s (%d committed VALID, %d failed)%n",
                    total / (double) seconds, total, failures.get());
            System.out.printf(
                    "warm-up     %.0f tx/s (%d committed VALID in %d s)%n",
                    inWarmup.get() / (double) warmupSeconds, inWarmup.get(), warmupSeconds);
            if (total > 0) {
                System.out.printf(
                        "latency     p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                        percentile(all, 0.50), percentile(all, 0.99), all[all.length - 1] / 1e6);
            }
            if (committedInWindow > 0) {
                System.out.printf(
                        "client CPU  %.1f us per transaction in the measured window (this JVM: the official client,"
                                + " its %d threads, gRPC)%n",
                        clientCpu.toNanos() / 1e3 / committedInWindow, clients);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** @return the CPU time (user and system, every thread) this JVM has used so far */
    private static Duration processCpu() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this platform does not report a process's CPU time"));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
