package dev.dossier.node.ordering;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings back a node's Raft member that its group shut down.
 *
 * <p>Ratis closes a member that a configuration change removed, and never opens it again: a follower that holds the
 * new configuration closes itself at its next election timeout; a leader closes itself once the configuration that
 * leaves it out is committed; and a node that missed that configuration (it was down, or it was the leader, killed
 * during the change) asks for votes when it restarts and the leader answers "shut down". A closed member answers
 * nothing, so {@code network add-node} could not add such a node back: its joining stalled until the node process
 * was restarted, and even then the node asked for votes again and was shut down again before it was added.
 *
 * <p>This watch checks every {@link #PERIOD}: when the node's member is closed (or its whole Raft server, as Ratis
 * does after a JVM pause longer than its close threshold), and not after a failure (a block the ledger could not
 * commit must stop ordering), it restarts the Raft server on the same storage. A member whose
 * log holds the configuration that removed it then waits, quietly, to be added again; one whose log does not asks for
 * votes and is shut down again, to be restarted one period later, until the leader starts adding it back (from then
 * on the leader keeps it). Each restart reloads the Raft log, once per period at most.
 */
final class ShutDownMemberWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ShutDownMemberWatch.class.getName());
    static final Duration PERIOD = Duration.ofSeconds(2);

    /** Restarts the Raft server if its member was shut down by its group; returns true if it did. */
    @FunctionalInterface
    interface Restart {
        boolean ifShutDown() throws IOException;
    }

    private final ScheduledExecutorService executor;
    private long restarts;

    ShutDownMemberWatch(String member, Restart restart) {
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
            if (restart.ifShutDown()) {
                restarts++;
                // 1st, 2nd, 4th, 8th...: a node left out of the group for good does not fill its log
                if (Long.bitCount(restarts) == 1) {
                    LOG.warning(() -> "Raft member " + member + " was shut down by its group (a configuration"
                            + " change left it out): its Raft server restarted (" + restarts + " time(s) so far) and"
                            + " waits to be added back with 'dossier network add-node'; until then this node orders"
                            + " nothing and its health says so");
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Raft member " + member + " was shut down by its group and cannot restart", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
