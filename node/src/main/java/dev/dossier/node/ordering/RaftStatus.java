package dev.dossier.node.ordering;

/**
 * This node's place in its Raft group now, for its health page and metrics.
 *
 * @param role this node's Raft role: {@code LEADER}, {@code FOLLOWER}, {@code CANDIDATE}, {@code LISTENER}
 * @param leader the leader this node knows of, or null while it knows none
 * @param term the Raft term this node is in
 * @param commitIndex the index of the last log entry this node knows committed
 * @param appliedIndex the index of the last entry applied to the ledger
 * @param followerLag on the leader, how many committed entries the furthest-behind follower still lacks; else 0
 */
public record RaftStatus(String role, String leader, long term, long commitIndex, long appliedIndex, long followerLag) {
    /** @return true if this node leads its group */
    public boolean isLeader() {
        return "LEADER".equals(role);
    }
}
