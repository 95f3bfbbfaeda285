package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import io.grpc.Status;
import java.security.cert.CertificateEncodingException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the CommitStatus calls waiting for their transaction, per certificate and in all, and refuses one more than
 * either cap. A waiter costs the node a pending call and a future until its transaction commits or its client goes
 * away; without a cap, one signed-in client could hold any number of them with transaction ids that never commit.
 *
 * <p>Certificates are counted by their DER encoding, so re-encoding the same certificate (another PEM layout) does
 * not make a new identity. Thread-safe; {@link Permit#release} is idempotent, so the completion and the cancellation
 * of a call may both release its permit.
 */
final class CommitStatusWaiters {
    private final int perIdentity;
    private final int total;
    private final Map<ByteString, Integer> byIdentity = new HashMap<>();
    private int waiting;

    /**
     * @param perIdentity waiters one certificate may hold
     * @param total waiters the node holds
     */
    CommitStatusWaiters(int perIdentity, int total) {
        this.perIdentity = perIdentity;
        this.total = total;
    }

    /** A place taken by one waiting call. */
    final class Permit {
        private final ByteString key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ByteString key) {
            this.key = key;
        }

        /** Gives the place back; later calls do nothing. */
        void release() {
            if (released.compareAndSet(false, true)) {
                give(key);
            }
        }
    }

    /**
     * Takes a place for a call of {@code caller}.
     *
     * @throws RequestException {@code RESOURCE_EXHAUSTED} saying which cap is reached
     */
    Permit acquire(Identity caller) throws RequestException {
        ByteString key = key(caller);
        synchronized (this) {
            if (waiting >= total) {
                throw new RequestException(
                        Status.Code.RESOURCE_EXHAUSTED,
                        "too many commit status calls waiting on this node (" + total
                                + "): wait for some to complete, then ask again");
            }
            int held = byIdentity.getOrDefault(key, 0);
            if (held >= perIdentity) {
                throw new RequestException(
                        Status.Code.RESOURCE_EXHAUSTED,
                        "too many commit status calls waiting for " + caller.mspId() + " identity "
                                + caller.certificate().getSubjectX500Principal().getName() + " (at most "
                                + perIdentity + " at a time): wait for some to complete, then ask again");
            }
            byIdentity.put(key, held + 1);
            waiting++;
        }
        return new Permit(key);
    }

    /** @return waiters held now, in all */
    synchronized int waiting() {
        return waiting;
    }

    private synchronized void give(ByteString key) {
        byIdentity.computeIfPresent(key, (k, held) -> held == 1 ? null : held - 1);
        waiting--;
    }

    private static ByteString key(Identity caller) {
        try {
            return ByteString.copyFrom(caller.certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new AssertionError("a validated certificate has a DER encoding", e);
        }
    }
}
