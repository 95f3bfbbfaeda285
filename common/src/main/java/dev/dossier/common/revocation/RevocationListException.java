package dev.dossier.common.revocation;

/** A revocation list that is malformed, not signed by a consortium node, or does not follow the list it updates. */
public final class RevocationListException extends Exception {
    public RevocationListException(String message) {
        super(message);
    }

    public RevocationListException(String message, Throwable cause) {
        super(message, cause);
    }
}
