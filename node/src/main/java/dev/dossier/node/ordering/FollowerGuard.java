package dev.dossier.node.ordering;

import dev.dossier.common.concurrent.DaemonThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/**
 * Once a second, on the leader: asks {@link FollowerWatch} whether a follower is stalled and, if one is, steps this
 * node down, so that the next leader (possibly this node again, in a new term) probes every follower's log afresh.
 * Costs one election; stepping down never breaks Raft's safety.
 */
final class FollowerGuard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FollowerGuard.class.getName());

    private final Supplier<Optional<RaftServer.Division>> division;
    private final RaftGroupId groupId;
    private final RaftPeerId self;
    private final FollowerWatch watch;
    private final ScheduledExecutorService timer;
    private final AtomicLong stepDowns = new AtomicLong();
    private final AtomicLong callIds = new AtomicLong();

    /**
     * @param division this node's division of the group, empty while its Raft server is stopped
     * @param electionTimeout the group's shortest election timeout
     */
    FollowerGuard(
            Supplier<Optional<RaftServer.Division>> division,
            RaftGroupId groupId,
            RaftPeerId self,
            Duration electionTimeout) {
        this.division = division;
        this.groupId = groupId;
        this.self = self;
        // a stalled follower is answered every few seconds (Ratis backs off up to 5 s after failed appends); one that
        // is down is not stalled, and the clock starts again once it answers
        this.watch = new FollowerWatch(
                max(Duration.ofSeconds(15), electionTimeout.multipliedBy(15)),
                max(Duration.ofSeconds(8), electionTimeout.multipliedBy(8)));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("raft-follower-guard"));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::look, 1, 1, TimeUnit.SECONDS);
    }

    /** @return how many times this node stepped down since it started, because a follower was stalled */
    long stepDowns() {
        return stepDowns.get();
    }

    private void look() {
        try {
            Optional<RaftServer.Division> current = division.get();
            Optional<FollowerWatch.Stalled> stalled = current.flatMap(this::stalled);
            if (stalled.isPresent()) {
                stepDown(current.get().getRaftServer(), stalled.get());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "cannot look at the Raft followers", e);
        }
    }

    private Optional<FollowerWatch.Stalled> stalled(RaftServer.Division division) {
        DivisionInfo info = division.getInfo();
        long[] match = info.getFollowerMatchIndices();
        long[] next = info.getFollowerNextIndices();
        if (!info.isLeader() || match == null || next == null) {
            watch.reset();
            return Optional.empty();
        }
        // the three lists come from the leader's log appenders, in the same order
        List<ServerRpcProto> peers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
        if (peers.size() != match.length || peers.size() != next.length) {
            return Optional.empty(); // the configuration changed between the reads: look again next time
        }
        List<FollowerWatch.Follower> followers = new ArrayList<>(peers.size());
        for (int i = 0; i < peers.size(); i++) {
            ServerRpcProto peer = peers.get(i);
            followers.add(new FollowerWatch.Follower(
                    peer.getId().getId().toStringUtf8(),
                    match[i],
                    next[i],
                    Duration.ofMillis(peer.getLastRpcElapsedTimeMs())));
        }
        return watch.check(
                info.getCurrentTerm(),
                division.getRaftLog().getLastCommittedIndex(),
                division.getRaftLog().getStartIndex(),
                followers,
                System.nanoTime());
    }

    private void stepDown(RaftServer server, FollowerWatch.Stalled stalled) throws IOException {
        watch.reset();
        stepDowns.incrementAndGet();
        LOG.warning(() -> "Raft follower " + stalled.name() + " answers but has taken no entry for "
                + stalled.stalledFor().toSeconds() + " s: this leader holds it at entry " + stalled.matchIndex()
                + " while entries up to " + stalled.commitIndex() + " are committed, so its log lacks entries it was"
                + " counted as holding (a lost write, or an append acknowledged but never made). Stepping down: the"
                + " next leader probes its log down to its real end");
        server.transferLeadershipAsync(new TransferLeadershipRequest(
                        ClientId.randomId(), self, groupId, callIds.incrementAndGet(), null, 5_000))
                .whenComplete((reply, error) -> {
                    if (error != null || !reply.isSuccess()) {
                        LOG.warning(() -> "stepping down failed: " + (error != null ? error : reply.getException()));
                    }
                });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
