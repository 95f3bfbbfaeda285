package dev.dossier.credential;

/** A credential or its proof is not acceptable; the message says why, in one sentence. */
public final class ProofException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProofException(String message) {
        super(message);
    }

    public ProofException(String message, Throwable cause) {
        super(message, cause);
    }
}
