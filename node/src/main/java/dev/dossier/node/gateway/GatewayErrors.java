package dev.dossier.node.gateway;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Refusals and failures as the node's gRPC services answer them: a status whose details carry a Fabric
 * {@link ErrorDetail} naming this node (address and organisation), so the official client raises a
 * {@code GatewayException} with the message.
 */
final class GatewayErrors {
    private static final Logger LOG = Logger.getLogger(GatewayErrors.class.getName());

    private final GatewayContext context;

    GatewayErrors(GatewayContext context) {
        this.context = context;
    }

    /** @return the error a refused request is answered with: its status code and message */
    StatusRuntimeException error(RequestException e) {
        ErrorDetail detail = ErrorDetail.newBuilder()
                .setAddress(context.address())
                .setMspId(context.signer().mspId())
                .setMessage(e.getMessage())
                .build();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(e.code().value())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(detail))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /** Logs an unexpected failure of {@code call}; @return the INTERNAL error the caller is answered with */
    StatusRuntimeException internal(String call, RuntimeException e) {
        LOG.log(Level.SEVERE, call + " failed", e);
        return error(new RequestException(Status.Code.INTERNAL, call + " failed on the node: " + e));
    }
}
