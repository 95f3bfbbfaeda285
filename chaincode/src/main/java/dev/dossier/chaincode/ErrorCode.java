package dev.dossier.chaincode;

/**
 * Business error codes of Dossier's contracts. A contract refuses a request with
 * {@code new ChaincodeException(message, code.name())}: clients find the code, as UTF-8 text, in the error payload and
 * the human-readable reason in the message.
 */
public enum ErrorCode {
    /** An argument is malformed (for example a commitment that is not 64 hexadecimal digits). */
    INVALID_ARGUMENT,
    /** The commitment is already anchored by another organisation. */
    ALREADY_ANCHORED,
    /** No entry exists for the commitment. */
    NOT_FOUND
}
