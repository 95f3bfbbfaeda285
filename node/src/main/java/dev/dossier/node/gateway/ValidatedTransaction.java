package dev.dossier.node.gateway;

import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The outcome of checking one transaction envelope: its id and timestamp (empty/epoch when the envelope is too
 * malformed to have them), the validation code, a reason for a non-VALID code, and the read-write set of a VALID one
 * with the commit-time check its writes must pass ({@link WriteCheck#UNCHECKED} for a transaction already invalid).
 */
public record ValidatedTransaction(
        String txId,
        Instant timestamp,
        Envelope envelope,
        TxValidationCode code,
        String reason,
        TxReadWriteSet readWriteSet,
        WriteCheck writeCheck) {

    public boolean valid() {
        return code == TxValidationCode.VALID;
    }

    /** @return the transaction as the ledger commits it, with this outcome as its precheck code */
    public PendingTx pending() {
        return new PendingTx(txId, envelope, code, readWriteSet, writeCheck);
    }
}
