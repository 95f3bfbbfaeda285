package dev.dossier.node.ordering;

import dev.dossier.node.ledger.PendingTx;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Checks an ordered transaction as a Fabric committing peer does before MVCC (signatures, endorsement policy), with
 * certificates judged at {@code at}. Must be deterministic: the same envelope and time give the same outcome on every
 * node. Thread-safe. A failure of the node itself (its storage) is an {@link java.io.UncheckedIOException} or {@link
 * IllegalStateException}, and stops ordering on this node; any other exception is taken as the envelope's fault and
 * the transaction is marked {@code INVALID_OTHER_REASON} (on every node alike, since the checker is deterministic).
 */
@FunctionalInterface
public interface TxChecker {
    /** @return the transaction with its precheck code; never throws for a bad envelope */
    PendingTx check(Envelope envelope, Instant at);
}
