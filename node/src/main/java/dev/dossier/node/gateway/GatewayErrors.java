package dev.dossier.node.gateway;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * Refusals and failures as the node's gRPC services answer them: a status whose details carry a Fabric
 * {@link ErrorDetail} naming this node (address and organisation), so the official client raises a
 * {@code GatewayException} with the message. A contract's error is worded exactly as a Fabric 2.5 peer's gateway words
 * it, status message and details alike.
 */
final class GatewayErrors {
    private static final Logger LOG = Logger.getLogger(GatewayErrors.class.getName());

    private final GatewayContext context;

    GatewayErrors(GatewayContext context) {
        this.context = context;
    }

    /** @return the error a refused request is answered with: its status code, message and details */
    StatusRuntimeException error(RequestException e) {
        com.google.rpc.Status.Builder status =
                com.google.rpc.Status.newBuilder().setCode(e.code().value()).setMessage(e.getMessage());
        if (e.details().isEmpty()) {
            status.addDetails(Any.pack(ownDetail(e.getMessage())));
        } else {
            e.details().forEach(detail -> status.addDetails(Any.pack(detail)));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /**
     * A Fabric 2.5 gateway's answer when this node's contract answers an evaluation with an error: {@code UNKNOWN
     * evaluate call to endorser returned error: chaincode response <status>, <message>}, the detail naming this node
     * with {@code chaincode response <status>, <message>} ({@code internal/pkg/gateway/evaluate.go} and {@code
     * apiutils.go}).
     */
    RequestException evaluationFailed(Response response) {
        String message = chaincodeResponse(response);
        return new RequestException(
                Status.Code.UNKNOWN,
                "evaluate call to endorser returned error: " + message,
                List.of(ownDetail(message)));
    }

    /**
     * A Fabric 2.5 gateway's answer when this node's contract answers an endorsement with an error: {@code ABORTED
     * failed to endorse transaction, see attached details for more info}, the detail naming this node with {@code
     * chaincode response <status>, <message>} ({@code internal/pkg/gateway/endorse.go}).
     */
    RequestException endorsementFailed(Response response) {
        return new RequestException(
                Status.Code.ABORTED,
                "failed to endorse transaction, see attached details for more info",
                List.of(ownDetail(chaincodeResponse(response))));
    }

    /** @return how a Fabric gateway words a contract's error response: {@code chaincode response <status>, <message>} */
    static String chaincodeResponse(Response response) {
        return "chaincode response " + response.getStatus() + ", " + response.getMessage();
    }

    private ErrorDetail ownDetail(String message) {
        return ErrorDetail.newBuilder()
                .setAddress(context.address())
                .setMspId(context.signer().mspId())
                .setMessage(message)
                .build();
    }

    /** Logs an unexpected failure of {@code call}; @return the INTERNAL error the caller is answered with */
    StatusRuntimeException internal(String call, RuntimeException e) {
        LOG.log(Level.SEVERE, call + " failed", e);
        return error(new RequestException(Status.Code.INTERNAL, call + " failed on the node: " + e));
    }
}
