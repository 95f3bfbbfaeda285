package dev.dossier.node.ordering;

import java.time.Duration;

/**
 * Tells when this node, a follower, has stopped catching up with its leader: the leader reports a commit index beyond
 * both this node's Raft log and its ledger, and neither has moved for {@link #LIMIT}.
 *
 * <p><b>Why.</b> Ratis (3.3.0) can leave a follower behind for good. A leader that purged its log up to a segment
 * boundary keeps the entries from index {@code s} on but neither entry {@code s - 1} nor a snapshot at {@code s - 1}
 * (its snapshot, the ledger, is further on). A follower whose log ends at {@code s - 1} needs entry {@code s} next, and
 * the leader cannot send it without the term of the entry before; so it asks the follower to install a snapshot from
 * index {@code s}. The follower's snapshot (its ledger) is at {@code s - 1}, so it answers "already installed"; the
 * leader sets its next index back to {@code s} and asks again, for ever, sending nothing else. Seen in {@code
 * RaftRecoveryIT} when a restarted leader's log began one entry after where both followers stood: neither followed
 * again and the network ordered nothing. The node then fetches the blocks it lacks from the leader and restarts its
 * Raft server on a log that starts after them ({@link RaftOrderer}), which the leader can continue.
 */
final class FollowerStall {
    /** How long a follower may stay behind without any progress; a healthy one appends within a few heartbeats. */
    static final Duration LIMIT = Duration.ofSeconds(15);

    private static final long NONE = Long.MIN_VALUE;

    private long since = NONE;
    private long logIndex = NONE;
    private long ledgerIndex = NONE;

    /**
     * Records what this node sees now.
     *
     * @param now {@link System#nanoTime()}
     * @param leaderCommit the commit index its leader reports, or -1 if this node is not a follower with a leader
     * @param log the index of the last entry in its Raft log, or -1
     * @param ledger the Raft index of its ledger's last block, or -1
     * @return true once the leader has been ahead of both, with neither moving, for {@link #LIMIT}
     */
    boolean stalled(long now, long leaderCommit, long log, long ledger) {
        if (leaderCommit <= Math.max(log, ledger)) {
            since = NONE;
            return false;
        }
        if (since == NONE || log != logIndex || ledger != ledgerIndex) {
            since = now;
            logIndex = log;
            ledgerIndex = ledger;
            return false;
        }
        return now - since >= LIMIT.toNanos();
    }

    /** Starts counting afresh: after this node caught up, or restarted its Raft server. */
    void reset() {
        since = NONE;
    }
}
