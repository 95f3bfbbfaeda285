package dev.dossier.node.gateway;

import io.grpc.Status;
import java.util.List;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * A request refused by the node, with the gRPC status code to answer and a message that says what was wrong. Thrown
 * by the checks of the gateway and turned into a gRPC error (with an {@code ErrorDetail}) at the service boundary:
 * the details given, or else one naming this node with the message.
 */
public final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final transient List<ErrorDetail> details;

    public RequestException(Status.Code code, String message) {
        this(code, message, List.of());
    }

    public RequestException(Status.Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = List.of();
    }

    /**
     * A refusal whose reasons are those of the nodes that gave them, as Fabric's gateway reports failed endorsements:
     * a general message, and one detail per node.
     */
    public RequestException(Status.Code code, String message, List<ErrorDetail> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    /** @return the error details the client receives; empty for one naming this node with the message */
    public List<ErrorDetail> details() {
        return details;
    }

    /** @return the gRPC status code the client receives */
    public Status.Code code() {
        return code;
    }
}
