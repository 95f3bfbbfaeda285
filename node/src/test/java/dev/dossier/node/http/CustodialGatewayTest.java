package dev.dossier.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.node.http.CustodialGateway.CustodialException;
import io.grpc.Status;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.junit.jupiter.api.Test;

class CustodialGatewayTest {
    private static CustodialException refused(Status status) {
        return CustodialGateway.refused(new EndorseException("tx1", status.asRuntimeException()));
    }

    /** A refused endorsement as a Fabric 2.5 gateway (and the node) words it: the contract's answer in a detail. */
    private static CustodialException refusedEndorsement(String detail) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.ABORTED.value())
                .setMessage("failed to endorse transaction, see attached details for more info")
                .addDetails(com.google.protobuf.Any.pack(org.hyperledger.fabric.protos.gateway.ErrorDetail.newBuilder()
                        .setAddress("localhost:7051")
                        .setMspId("Org1MSP")
                        .setMessage(detail)
                        .build()))
                .build();
        return CustodialGateway.refused(
                new EndorseException("tx1", io.grpc.protobuf.StatusProto.toStatusRuntimeException(status)));
    }

    @Test
    void refused_contractRoleDenial_isDenied_withTheContractsMessage() {
        CustodialException e =
                refusedEndorsement("chaincode response 500, role 'inspector' of Org1MSP may not call 'anchorBatch'");

        assertThat(e.kind()).isEqualTo(CustodialException.Kind.DENIED);
        assertThat(e.getMessage()).isEqualTo("role 'inspector' of Org1MSP may not call 'anchorBatch'");
    }

    @Test
    void refused_evaluateDenial_isDenied() {
        CustodialException e = CustodialGateway.refused(new GatewayException(Status.UNKNOWN
                .withDescription("evaluate call to endorser returned error: chaincode response 500, role 'inspector'"
                        + " of Org1MSP may not call 'dossier'")
                .asRuntimeException()));

        assertThat(e.kind()).isEqualTo(CustodialException.Kind.DENIED);
        assertThat(e.getMessage()).isEqualTo("role 'inspector' of Org1MSP may not call 'dossier'");
    }

    @Test
    void refused_otherContractError_isInvalid_butTheShimsOwnFailureIsFailed() {
        CustodialException invalid = refusedEndorsement("chaincode response 500, 1 malformed entry, nothing anchored:"
                + " entry 0: commitment must be 64 hexadecimal digits");
        CustodialException failed = refusedEndorsement("chaincode response 500, Unexpected error");

        assertThat(invalid.kind()).isEqualTo(CustodialException.Kind.INVALID);
        assertThat(invalid.getMessage()).startsWith("1 malformed entry");
        assertThat(failed.kind()).isEqualTo(CustodialException.Kind.FAILED);
    }

    @Test
    void refused_gatewayStatuses_mapToDeniedUnavailableOrFailed() {
        assertThat(refused(Status.PERMISSION_DENIED.withDescription("creator certificate is revoked"))
                        .kind())
                .isEqualTo(CustodialException.Kind.DENIED);
        assertThat(refused(Status.UNAVAILABLE.withDescription("io exception")).kind())
                .isEqualTo(CustodialException.Kind.UNAVAILABLE);
        assertThat(refused(Status.DEADLINE_EXCEEDED).kind()).isEqualTo(CustodialException.Kind.UNAVAILABLE);
        assertThat(refused(Status.INVALID_ARGUMENT.withDescription("timestamp out of window"))
                        .kind())
                .isEqualTo(CustodialException.Kind.FAILED);
    }
}
