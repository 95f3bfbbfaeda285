package dev.dossier.client.transport;

/**
 * A ledger operation failed: the node refused or could not be reached, or the transaction was not committed valid.
 * Carries the transaction id when there was one and the gRPC status or validation code as text.
 */
public class DossierException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String transactionId;
    private final String code;

    public DossierException(String message, String transactionId, String code, Throwable cause) {
        super(message, cause);
        this.transactionId = transactionId;
        this.code = code;
    }

    /** @return the transaction id, or null if the failure came before one was assigned */
    public String getTransactionId() {
        return transactionId;
    }

    /** @return the gRPC status code or transaction validation code (such as {@code MVCC_READ_CONFLICT}), or null */
    public String getCode() {
        return code;
    }
}
