package dev.dossier.node.metrics;

import dev.dossier.node.gateway.GatewayContext;
import dev.dossier.node.ordering.RaftOrderer;
import dev.dossier.node.ordering.RaftStatus;
import java.time.Instant;
import java.util.function.ToLongFunction;

/**
 * Ordering in metrics: {@code dossier_ordering_failed}, the queues and the oldest uncommitted transaction's age on
 * every node; with Raft, what its ordering rules refused, the
 * last cut time, and the node's role, term, commit and applied indices and, on the leader, the lag of the slowest
 * follower ({@code dossier_raft_*}, read from the Raft server at each scrape; NaN while the server is stopped).
 */
public final class OrderingMeters {
    private OrderingMeters() {}

    /** Adds the ordering gauges of {@code context}'s orderer to {@code metrics}. */
    public static void bind(NodeMetrics metrics, GatewayContext context) {
        metrics.gauge(
                "dossier.ordering.failed",
                "1 once ordering stopped after a failure (a block could not be committed): restart the node.",
                () -> context.orderingFailed() ? 1 : 0);
        metrics.gauge(
                "dossier.ordering.queued.transactions",
                "Transactions waiting on this node to be cut into a batch.",
                () -> context.ordering().queuedTransactions());
        metrics.gauge(
                "dossier.ordering.batches.in.flight",
                "Batches this node sent for ordering and not yet ordered.",
                () -> context.ordering().batchesInFlight());
        metrics.gauge(
                "dossier.ordering.uncommitted.transactions",
                "Transactions this node accepted that are neither committed nor given up.",
                () -> context.waiting().uncommittedTransactions());
        metrics.gauge(
                "dossier.ordering.oldest.uncommitted.seconds",
                "How long the oldest uncommitted transaction this node accepted has waited (0: none).",
                () -> context.waiting().oldestUncommitted().toMillis() / 1000.0);
        if (!(context.ordering() instanceof RaftOrderer raft)) {
            return;
        }
        metrics.gauge(
                "dossier.raft.entries.refused",
                "Raft entries the ordering rules refused (no block) since the node started.",
                raft::rejectedEntries);
        metrics.gauge(
                "dossier.raft.cut.time.seconds",
                "Cut time of the last block, Unix seconds (0: none yet); far ahead of the clock is suspect.",
                () -> raft.lastCutAt().map(Instant::getEpochSecond).orElse(0L));
        status(metrics, raft, "leader", "1 while this node leads its Raft group, else 0.", s -> s.isLeader() ? 1 : 0);
        status(metrics, raft, "term", "The Raft term this node is in.", RaftStatus::term);
        status(
                metrics,
                raft,
                "commit.index",
                "Index of the last Raft log entry this node knows committed.",
                RaftStatus::commitIndex);
        status(
                metrics,
                raft,
                "applied.index",
                "Index of the last Raft log entry applied to the ledger.",
                RaftStatus::appliedIndex);
        status(
                metrics,
                raft,
                "follower.lag.entries",
                "On the leader, committed entries the furthest-behind follower still lacks (0 elsewhere).",
                RaftStatus::followerLag);
    }

    private static void status(
            NodeMetrics metrics, RaftOrderer raft, String name, String help, ToLongFunction<RaftStatus> value) {
        metrics.gauge(
                "dossier.raft." + name,
                help,
                () -> raft.status().map(s -> (Number) value.applyAsLong(s)).orElse(Double.NaN));
    }
}
