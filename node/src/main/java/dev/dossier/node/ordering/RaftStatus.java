package dev.dossier.node.ordering;

import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

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
    /** @return the status of a node's division of its Raft group */
    static RaftStatus of(RaftServer.Division division) {
        DivisionInfo info = division.getInfo();
        long commit = division.getRaftLog().getLastCommittedIndex();
        long lag = 0;
        long[] matches = info.isLeader() ? info.getFollowerMatchIndices() : null;
        for (long match : matches == null ? new long[0] : matches) {
            lag = Math.max(lag, commit - match);
        }
        RaftPeerId leader = info.getLeaderId();
        return new RaftStatus(
                info.getCurrentRole().name(),
                leader == null ? null : leader.toString(),
                info.getCurrentTerm(),
                commit,
                info.getLastAppliedIndex(),
                lag);
    }

    /** @return true if this node leads its group */
    public boolean isLeader() {
        return "LEADER".equals(role);
    }
}
