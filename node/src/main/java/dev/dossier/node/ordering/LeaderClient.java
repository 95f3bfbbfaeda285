package dev.dossier.node.ordering;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;

/**
 * This node's Ratis client, which hands batches to the Raft leader, and is started afresh when Ratis breaks it.
 *
 * <p>Ratis' client sends its requests to the leader as one ordered stream (a sliding window). Once one request runs out
 * of retries ({@link RatisConfig#retryPolicy()}: the leader did not take it within the ordering timeout), the window
 * keeps that failure and fails every later request at once with {@link AlreadyClosedException}: without a new client
 * the node would never order a batch again, although its Raft group works (FaultIT: after a time without a majority,
 * every batch of the client's node was reported "not ordered" for the rest of the run). So a request that fails so
 * replaces the client; requests still on the broken one fail and are reported dropped, as any batch not ordered.
 */
final class LeaderClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderClient.class.getName());

    private final Supplier<RaftClient> clients;
    private final Object lock = new Object();
    private RaftClient client; // guarded by lock
    private boolean closed; // guarded by lock

    /** @param clients builds a new Ratis client for the node's group */
    LeaderClient(Supplier<RaftClient> clients) {
        this.clients = clients;
        this.client = clients.get();
    }

    /** Sends {@code message} to the leader; replaces the client if it fails in a way that breaks the client. */
    CompletableFuture<RaftClientReply> send(Message message) {
        RaftClient sender;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new AlreadyClosedException("ordering is closed"));
            }
            sender = client;
        }
        return sender.async().send(message).whenComplete((reply, error) -> {
            Throwable why = error != null ? error : reply.isSuccess() ? null : reply.getException();
            if (breaksClient(why)) {
                renew(sender, why);
            }
        });
    }

    /** @return true if {@code error} leaves the client's stream to the leader failing every later request */
    static boolean breaksClient(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RaftRetryFailureException || cause instanceof AlreadyClosedException) {
                return true;
            }
        }
        return false;
    }

    private void renew(RaftClient broken, Throwable why) {
        synchronized (lock) {
            if (closed || client != broken) {
                return; // already replaced
            }
            client = clients.get();
        }
        LOG.warning(() -> "the Raft client gave up on a batch (" + why + "), which fails every later one: a new client"
                + " takes over");
        // not on this thread: it may be one of the broken client's own
        CompletableFuture.runAsync(() -> close(broken));
    }

    private static void close(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing a Raft client", e);
        }
    }

    @Override
    public void close() {
        RaftClient last;
        synchronized (lock) {
            closed = true;
            last = client;
        }
        close(last);
    }
}
