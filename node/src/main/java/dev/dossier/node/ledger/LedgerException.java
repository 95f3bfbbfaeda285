package dev.dossier.node.ledger;

/**
 * A ledger operation failed: the database could not be opened, read or written, or its contents are inconsistent.
 * The message says which operation failed and on what (block number, key, directory).
 */
public final class LedgerException extends Exception {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
