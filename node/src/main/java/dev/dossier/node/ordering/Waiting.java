package dev.dossier.node.ordering;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node's ordering waits for now, as its {@code /healthz}, its metrics and {@code dossier network status} show
 * it: with Raft, the node's role, the leader it knows, its term and log indices; on every node, what is queued here and
 * how long the oldest transaction it accepted has waited for its block.
 *
 * @param withRaft whether the node orders with Raft (a network of several nodes), else alone
 * @param raft the node's place in its Raft group; empty when it orders alone or while its Raft server is stopped
 * @param queuedTransactions transactions waiting on this node to be cut into a batch
 * @param batchesInFlight batches this node sent for ordering and not yet ordered
 * @param uncommittedTransactions transactions this node accepted that are neither committed nor given up
 * @param oldestUncommitted how long the oldest of those has waited; zero if there is none
 */
public record Waiting(
        boolean withRaft,
        Optional<RaftStatus> raft,
        int queuedTransactions,
        int batchesInFlight,
        int uncommittedTransactions,
        Duration oldestUncommitted) {
    public Waiting {
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(oldestUncommitted, "oldestUncommitted");
    }

    /** @return the node's Raft role in lower case, {@code alone} without Raft, {@code stopped} without a Raft server */
    public String role() {
        if (!withRaft) {
            return "alone";
        }
        return raft.map(r -> r.role().toLowerCase(java.util.Locale.ROOT)).orElse("stopped");
    }
}
