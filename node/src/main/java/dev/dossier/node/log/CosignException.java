package dev.dossier.node.log;

import java.util.Objects;

/**
 * A node refused to cosign another node's checkpoint. {@link #reason()} says why, so the HTTP API can answer with the
 * matching status; the message says what exactly did not fit.
 */
public final class CosignException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a checkpoint was not cosigned. */
    public enum Reason {
        /** Not a checkpoint, or not signed by a node of the consortium. */
        MALFORMED,
        /** Another log, another root at that size, or a time too far from this node's clock. */
        CONFLICT,
        /** This node's log is smaller than the checkpoint, even after waiting for it to catch up. */
        BEHIND
    }

    private final Reason reason;

    public CosignException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
