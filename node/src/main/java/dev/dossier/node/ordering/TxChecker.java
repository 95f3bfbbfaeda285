package dev.dossier.node.ordering;

import dev.dossier.node.ledger.PendingTx;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Checks an ordered transaction as a Fabric committing peer does before MVCC (signatures, endorsement policy), with
 * certificates judged at {@code at}. Must be deterministic: the same envelope and time give the same outcome on every
 * node. Thread-safe.
 */
@FunctionalInterface
public interface TxChecker {
    /** @return the transaction with its precheck code; never throws for a bad envelope */
    PendingTx check(Envelope envelope, Instant at);
}
