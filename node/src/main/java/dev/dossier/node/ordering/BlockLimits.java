package dev.dossier.node.ordering;

import java.time.Duration;
import java.util.Objects;

/**
 * When the block cutter closes a block: after {@code maxTransactions} transactions, after {@code maxBytes} of
 * envelopes, or {@code timeout} after the first transaction of the block arrived, whichever comes first (Fabric's
 * BatchSize.MaxMessageCount, BatchSize.AbsoluteMaxBytes and BatchTimeout).
 */
public record BlockLimits(int maxTransactions, long maxBytes, Duration timeout) {
    /** Defaults sized for bulk anchoring on a small machine: 1,000 transactions, 64 MiB, 20 ms. */
    public static final BlockLimits DEFAULT = new BlockLimits(1_000, 64L << 20, Duration.ofMillis(20));

    public BlockLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (maxTransactions < 1) {
            throw new IllegalArgumentException("maxTransactions must be at least 1: " + maxTransactions);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
    }
}
