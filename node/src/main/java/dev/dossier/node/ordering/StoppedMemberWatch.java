package dev.dossier.node.ordering;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings back a node's Raft member that stopped without the node asking it to, in the two ways Ratis never recovers
 * from by itself.
 *
 * <ul>
 *   <li><b>Shut down by its group.</b> Ratis closes a member that a configuration change left out, and never opens it
 *       again: a follower that holds the new configuration closes itself at its next election timeout, a leader once
 *       the configuration that leaves it out is committed, and a node that missed that configuration (it was down, or
 *       it was the leader, killed during the change) asks for votes when it restarts and the leader answers "shut
 *       down". A closed member answers nothing, so {@code network add-node} could not add such a node back.
 *   <li><b>Its log cannot be written</b> (a full disk): Ratis then fails every later write of the member's log, even
 *       once space is free, and the member stays up, unable to acknowledge anything. Before the restart the node
 *       records that it may have lost entries it acknowledged ({@link LostEntries}), which ends its term at the
 *       restart: the restart waits until that record can be written.
 * </ul>
 *
 * <p>Its check also restarts, after a catch-up from blocks, a follower that stopped following its leader ({@link
 * FollowerStall}).
 *
 * <p>This watch checks every {@link #PERIOD} and restarts the Raft server on the same storage, again every period
 * while a restart fails (the disk still full), never after a ledger failure (which must stop ordering). A member whose
 * log holds the configuration that removed it then waits quietly to be added again; one whose log does not asks for
 * votes and is shut down again, to be restarted one period later, until the leader starts adding it back (from then on
 * the leader keeps it). Each restart reloads the Raft log, once per period at most.
 */
final class StoppedMemberWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoppedMemberWatch.class.getName());
    static final Duration PERIOD = Duration.ofSeconds(2);
    static final String SHUT_DOWN = "its group shut it down (a configuration change left it out; it waits to be added"
            + " back with 'dossier network add-node')";
    static final String LOG_FAILED = "its Raft log could not be written (a full disk?)";

    /**
     * @return why a member that is alive or not and could write its log or not must be restarted, or null; a failed
     *     log first, whatever else, since a restart after it records what the log may have lost ({@link RaftOrderer})
     */
    static String why(boolean alive, boolean logFailed) {
        return logFailed ? LOG_FAILED : !alive ? SHUT_DOWN : null;
    }

    /** Restarts the Raft server if its member stopped; returns why it did, or null if it did not. */
    @FunctionalInterface
    interface Restart {
        String ifStopped() throws IOException;
    }

    private final ScheduledExecutorService executor;
    private long restarts;
    private long failures;

    StoppedMemberWatch(String member, Restart restart) {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "raft-member-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                () -> check(member, restart), PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check(String member, Restart restart) {
        try {
            String why = restart.ifStopped();
            if (why != null) {
                restarts++;
                // 1st, 2nd, 4th, 8th...: a node left out of the group for good does not fill its log
                if (Long.bitCount(restarts) == 1) {
                    LOG.warning(() -> "Raft member " + member + " restarted its Raft server (" + restarts
                            + " time(s) so far): " + why + "; while it is stopped this node orders nothing and its"
                            + " health says so");
                }
            }
        } catch (IOException | RuntimeException e) {
            failures++;
            if (Long.bitCount(failures) == 1) {
                LOG.log(
                        Level.WARNING,
                        "Raft member " + member + " cannot restart its Raft server (" + failures
                                + " attempt(s) so far; again in " + PERIOD.toSeconds() + " s)",
                        e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
