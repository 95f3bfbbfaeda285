package dev.dossier.client.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.junit.jupiter.api.Test;

/** The reason of a failed Gateway call, read from gRPC statuses shaped as Fabric's and Dossier's gateways send them. */
class GatewayFailureTest {
    private static final String DENIED = "PERMISSION_DENIED: role inspector of Org1MSP may not call anchorBatch";

    /** A gRPC error as a gateway sends it: code, message, and one {@link ErrorDetail} per endorser in its details. */
    private static GatewayException error(Status.Code code, String message, ErrorDetail... details) {
        com.google.rpc.Status.Builder status =
                com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message);
        for (ErrorDetail d : details) {
            status.addDetails(Any.pack(d));
        }
        StatusRuntimeException e = StatusProto.toStatusRuntimeException(status.build());
        return new GatewayException(e);
    }

    private static ErrorDetail detail(String address, String mspId, String message) {
        return ErrorDetail.newBuilder()
                .setAddress(address)
                .setMspId(mspId)
                .setMessage(message)
                .build();
    }

    private static String reason(GatewayException e) {
        return GatewayFailure.reason(e.getStatus(), e.getDetails());
    }

    /** @return the reason of a refused endorsement as a Fabric peer's gateway sends it, with these details */
    private static String fabricRefusal(ErrorDetail... details) {
        return reason(error(
                Status.Code.ABORTED, "failed to endorse transaction, see attached details for more info", details));
    }

    @Test
    void fabricEndorsementRefusalShowsTheContractMessageFromTheDetails() {
        assertThat(fabricRefusal(detail("127.0.0.1:7051", "Org1MSP", "chaincode response 500, " + DENIED)))
                .isEqualTo(DENIED);
    }

    @Test
    void sameMessageFromSeveralEndorsersIsShownOnce() {
        assertThat(fabricRefusal(
                        detail("127.0.0.1:7051", "Org1MSP", "chaincode response 500, " + DENIED),
                        detail("127.0.0.1:7052", "Org2MSP", "chaincode response 500, " + DENIED)))
                .isEqualTo(DENIED);
    }

    @Test
    void differentMessagesAreAllShown() {
        assertThat(fabricRefusal(
                        detail("a:1", "Org1MSP", "chaincode response 500, first"),
                        detail("b:2", "Org2MSP", "rpc error: code = Unavailable desc = connection refused")))
                .isEqualTo("first; rpc error: code = Unavailable desc = connection refused");
    }

    @Test
    void dossierNodeRefusalShowsTheContractMessage() {
        String message = "failed to endorse transaction: chaincode response 500, " + DENIED;
        GatewayException e = error(Status.Code.ABORTED, message, detail("localhost:7051", "Org1MSP", message));
        assertThat(reason(e)).isEqualTo(DENIED);
    }

    @Test
    void withoutDetailsTheDescriptionIsTheReason() {
        GatewayException e = new GatewayException(
                Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
        assertThat(e.getDetails()).isEmpty();
        assertThat(reason(e)).isEqualTo("io exception");
    }

    @Test
    void evaluationErrorInTheDescriptionGivesTheContractMessage() {
        GatewayException e = error(
                Status.Code.UNKNOWN, "evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: x");
        assertThat(reason(e)).isEqualTo("NOT_FOUND: x");
    }

    @Test
    void withNeitherTheCodeIsTheReason() {
        assertThat(GatewayFailure.reason(Status.DEADLINE_EXCEEDED, List.of())).isEqualTo("DEADLINE_EXCEEDED");
    }
}
