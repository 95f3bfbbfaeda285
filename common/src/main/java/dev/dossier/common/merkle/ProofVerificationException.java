package dev.dossier.common.merkle;

/** A Merkle proof that does not prove what it claims; the message says which check failed. */
public final class ProofVerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProofVerificationException(String message) {
        super(message);
    }
}
