package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Where a transaction was committed and how it was validated, from the transaction index: the block number, the
 * position of the transaction in that block and its validation code (the block's TRANSACTIONS_FILTER entry).
 *
 * @throws NullPointerException if {@code code} is null
 */
public record TxStatus(long blockNumber, int txNumber, TxValidationCode code) {
    public TxStatus {
        requireNonNull(code, "code");
    }
}
