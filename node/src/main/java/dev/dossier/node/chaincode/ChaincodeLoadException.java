package dev.dossier.node.chaincode;

/** A contract could not be loaded: the jar is missing or unreadable, holds no contract, or a contract is invalid. */
public final class ChaincodeLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    ChaincodeLoadException(String message) {
        super(message);
    }

    ChaincodeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
