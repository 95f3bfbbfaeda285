package dev.dossier.node.gateway;

import io.grpc.Status;

/**
 * A request refused by the node, with the gRPC status code to answer and a message that says what was wrong. Thrown
 * by the checks of the gateway and turned into a gRPC error (with an {@code ErrorDetail}) at the service boundary.
 */
public final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    public RequestException(Status.Code code, String message) {
        super(message);
        this.code = code;
    }

    public RequestException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return the gRPC status code the client receives */
    public Status.Code code() {
        return code;
    }
}
