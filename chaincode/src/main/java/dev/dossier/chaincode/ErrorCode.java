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
    /** No entry exists for the commitment (or no pending proposal for a policy hash). */
    NOT_FOUND,
    /**
     * The role policy does not allow the caller to call the function, or not on this entry or subject. The message
     * names the role, its organisation and the function.
     */
    PERMISSION_DENIED,
    /**
     * The request is well-formed but the state does not allow it: superseding an entry that is no longer active, a
     * second policy initialisation, approving a proposal made under a policy no longer in force.
     */
    INVALID_STATE
}
