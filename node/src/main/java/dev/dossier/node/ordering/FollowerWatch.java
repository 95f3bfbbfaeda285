package dev.dossier.node.ordering;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * On the leader: finds a follower that answers but takes no entries, because the leader believes it holds entries it
 * does not hold.
 *
 * <p>A Ratis leader never lowers what it knows a follower holds (its match index) within its term. When the follower
 * lacks entries up to that index, each heartbeat is answered "inconsistent, send from my end", the leader answers
 * "not below the match index", and that repeats for as long as the leader stays in office: the follower takes no entry
 * again and its node never commits another block. Two ways lead there:
 *
 * <ul>
 *   <li>Ratis 3.3 acknowledges entries it never wrote. A follower composes appends (its {@code NavigableIndices}): a
 *       request whose first entries are still being appended from an earlier request is answered with the earlier
 *       request's outcome, although it carries more entries. A new leader probing a follower sends a short request
 *       from index 0, resets on a late "inconsistent" reply and sends a longer one from index 0 while the first is
 *       still being appended: the longer one is acknowledged up to its last entry, which never reaches the log.
 *       FaultIT stalled so, one run in about ten.
 *   <li>A follower's disk loses writes it had synced, cleanly (no torn entry for {@link RaftLogFiles} to find).
 * </ul>
 *
 * <p>Either way the leader's belief is what is wrong, and only a new term clears it: the next leader starts with no
 * belief about any follower and probes each down to its real end. So a follower is reported here when, for {@link
 * #stallAfter}, it answered the leader (its last answer is recent), it lacks committed entries (its match index is
 * below the commit index), its match index did not move and its next index did not go below the lowest seen (a next
 * index that moves down is the leader probing the follower's log, which may take many round trips). A follower catching up from blocks (the leader's log no
 * longer holds its next entry) is not reported: it is being served, its match index moves once it is done.
 *
 * <p>Not thread-safe: one watcher thread calls {@link #check}.
 */
final class FollowerWatch {
    /** A follower as the leader sees it. */
    record Follower(String name, long matchIndex, long nextIndex, Duration sinceLastAnswer) {}

    /** A follower reported stalled, with what the leader believes of it. */
    record Stalled(String name, long matchIndex, long commitIndex, Duration stalledFor) {}

    private record Seen(long term, long matchIndex, long nextIndex, long sinceNanos) {}

    private final Duration stallAfter;
    private final Duration answeredWithin;
    private final Map<String, Seen> seen = new HashMap<>();

    /**
     * @param stallAfter how long a follower that answers may take no entry while it lacks committed ones
     * @param answeredWithin how recent its last answer must be for it to count as answering (a follower that is down
     *     is not stalled: the leader sends it everything once it answers again)
     */
    FollowerWatch(Duration stallAfter, Duration answeredWithin) {
        this.stallAfter = stallAfter;
        this.answeredWithin = answeredWithin;
    }

    /**
     * Looks at the followers once.
     *
     * @param term the leader's term; a new term forgets what was seen
     * @param commitIndex the leader's commit index
     * @param logStartIndex the first index the leader's log still holds
     * @param nowNanos the time of this look, from {@link System#nanoTime()}
     * @return the first follower stalled for {@link #stallAfter}, if any
     */
    Optional<Stalled> check(long term, long commitIndex, long logStartIndex, List<Follower> followers, long nowNanos) {
        Optional<Stalled> stalled = Optional.empty();
        for (Follower follower : followers) {
            Seen before = seen.get(follower.name());
            boolean waiting = follower.matchIndex() < commitIndex
                    && follower.sinceLastAnswer().compareTo(answeredWithin) <= 0
                    && follower.nextIndex() >= logStartIndex;
            // a next index lower than any seen is the leader probing the follower's log down to its end: not stalled
            // (while stalled it only goes up, when entries are sent, and back to the match index plus one)
            if (!waiting
                    || before == null
                    || before.term() != term
                    || before.matchIndex() != follower.matchIndex()
                    || follower.nextIndex() < before.nextIndex()) {
                seen.put(follower.name(), new Seen(term, follower.matchIndex(), follower.nextIndex(), nowNanos));
                continue;
            }
            Duration stalledFor = Duration.ofNanos(nowNanos - before.sinceNanos());
            if (stalled.isEmpty() && stalledFor.compareTo(stallAfter) >= 0) {
                stalled = Optional.of(new Stalled(follower.name(), follower.matchIndex(), commitIndex, stalledFor));
            }
        }
        seen.keySet().retainAll(followers.stream().map(Follower::name).toList());
        return stalled;
    }

    /** Forgets what was seen: after this node stepped down, or while it does not lead. */
    void reset() {
        seen.clear();
    }
}
