package dev.dossier.common.receipt;

/** A receipt that is malformed or does not verify; the message says which check failed. */
public final class ReceiptException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReceiptException(String message) {
        super(message);
    }

    public ReceiptException(String message, Throwable cause) {
        super(message, cause);
    }
}
