package dev.dossier.node.identity;

/**
 * A serialized identity was refused: it is malformed, belongs to an unknown MSP, was not issued by its MSP's CA, is
 * outside its validity period or does not use an ECDSA P-256 key. The message names the MSP and the failed check,
 * for example {@code "certificate of Org1MSP: expired on 2031-01-01T00:00:00Z"}.
 */
public final class IdentityException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the MSP and the failed check */
    public IdentityException(String message) {
        super(message);
    }

    /**
     * @param message the MSP and the failed check
     * @param cause the underlying parse or verification failure
     */
    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
