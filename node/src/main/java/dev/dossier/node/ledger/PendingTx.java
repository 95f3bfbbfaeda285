package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * An ordered transaction waiting to be committed by {@link Ledger#commit}.
 *
 * <ul>
 *   <li>{@code txId}: the transaction id. When {@code precheck} is {@code VALID} it must equal the {@code tx_id} of
 *       the envelope's channel header. The ledger indexes every transaction under its channel header's
 *       {@code tx_id}, as Fabric's block store does; a transaction whose channel header does not decode, or has an
 *       empty {@code tx_id}, is stored in its block but not indexed.
 *   <li>{@code envelope}: stored unchanged as the block's data entry.
 *   <li>{@code precheck}: the outcome of the checks made before the ledger (signatures, endorsement policy...). A code
 *       other than {@code VALID} is kept as the final code and the read-write set is not looked at.
 *   <li>{@code readWriteSet}: the simulation results carried by the envelope (see {@link Envelopes#readWriteSet});
 *       required when {@code precheck} is {@code VALID}, ignored otherwise (may be null).
 *   <li>{@code writeCheck}: the commit-time rule its writes must satisfy (key-level endorsement policies, namespace
 *       rules), bound to its creator and endorsers; {@link WriteCheck#UNCHECKED} when nothing is to be checked.
 * </ul>
 *
 * @throws NullPointerException if a component other than {@code readWriteSet} is null, or if {@code readWriteSet} is
 *     null while {@code precheck} is {@code VALID}
 * @throws IllegalArgumentException if {@code precheck} is {@code UNRECOGNIZED}
 */
public record PendingTx(
        String txId, Envelope envelope, TxValidationCode precheck, TxReadWriteSet readWriteSet, WriteCheck writeCheck) {
    public PendingTx {
        requireNonNull(writeCheck, "writeCheck");
        requireNonNull(txId, "txId");
        requireNonNull(envelope, "envelope");
        requireNonNull(precheck, "precheck");
        if (precheck == TxValidationCode.UNRECOGNIZED) {
            throw new IllegalArgumentException("precheck: UNRECOGNIZED is not a validation code");
        }
        if (precheck == TxValidationCode.VALID) {
            requireNonNull(readWriteSet, "readWriteSet (required when precheck is VALID)");
        }
    }
}
