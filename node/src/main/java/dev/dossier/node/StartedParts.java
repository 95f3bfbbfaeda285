package dev.dossier.node;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The parts of a node (or a follower) that are running, in the order they were started, so that one piece of code stops them, in
 * reverse order: when a later part fails to start, and when the node is closed. Each part is closed once; a part that
 * fails to close does not keep the others open.
 *
 * <pre>{@code
 * StartedParts parts = new StartedParts();
 * try {
 *     Ledger ledger = parts.add("ledger", Ledger.open(dir), Ledger::close);
 *     ...
 * } catch (Throwable e) {
 *     parts.closeAfter(e);
 *     throw e;
 * }
 * }</pre>
 *
 * Not thread-safe: a node starts in one thread and is closed once.
 */
public final class StartedParts implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StartedParts.class.getName());

    /** How a started part stops. */
    @FunctionalInterface
    public interface Stop<T> {
        void stop(T part) throws Exception;
    }

    private final Deque<Named> started = new ArrayDeque<>();

    private record Named(String name, Closing closing) {}

    @FunctionalInterface
    private interface Closing {
        void close() throws Exception;
    }

    /**
     * Records a part that has started.
     *
     * @param name what the part is, for the log when it fails to stop
     * @param part the started part
     * @param stop how it stops
     * @return {@code part}
     */
    public <T> T add(String name, T part, Stop<? super T> stop) {
        started.push(new Named(name, () -> stop.stop(part)));
        return part;
    }

    /** Stops every part, the last started first; a failure to stop one is added to {@code failure} as suppressed. */
    public void closeAfter(Throwable failure) {
        closeAll(failure::addSuppressed);
    }

    /** Stops every part, the last started first; a failure to stop one is logged. */
    @Override
    public void close() {
        closeAll(e -> LOG.log(Level.WARNING, e.getMessage(), e));
    }

    private void closeAll(Consumer<Exception> failures) {
        boolean interrupted = false;
        while (!started.isEmpty()) {
            Named part = started.pop();
            try {
                part.closing().close();
            } catch (InterruptedException e) {
                interrupted = true;
                failures.accept(new IllegalStateException("interrupted while stopping the " + part.name(), e));
            } catch (Exception e) {
                failures.accept(new IllegalStateException("cannot stop the " + part.name() + ": " + e.getMessage(), e));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
