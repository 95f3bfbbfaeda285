package dev.dossier.node.gateway;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.chaincode.Simulation;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's Endorser service ({@code protos.Endorser/ProcessProposal}) served by this node: the proposal is checked
 * as the gateway checks it, simulated against committed state and, if the chaincode succeeds, endorsed with this
 * node's signature. Other nodes' gateways call it when an endorsement policy needs this node's organisation; any
 * client of the consortium may call it too, as on a Fabric peer. A chaincode error is answered as Fabric's endorser
 * does: a response with the chaincode's status and message, and no endorsement.
 */
public final class EndorserService extends EndorserGrpc.EndorserImplBase {
    private final GatewayContext context;
    private final LocalEndorser endorser;
    private final GatewayErrors errors;
    private final ProposalChecker checker;

    /** @param gateway this node's gateway service, whose endorser simulates and signs */
    public EndorserService(GatewayContext context, GatewayService gateway) {
        this.context = requireNonNull(context, "context");
        this.endorser = requireNonNull(gateway, "gateway").endorser();
        this.errors = gateway.errors();
        this.checker = new ProposalChecker(
                context.identities(), context.channel(), context.runtime().name());
    }

    @Override
    public void processProposal(SignedProposal signed, StreamObserver<ProposalResponse> observer) {
        try {
            CheckedProposal proposal = checker.check(signed, "", "");
            if (context.ledger().transaction(proposal.txId()).isPresent()) {
                throw new RequestException(
                        Status.Code.ALREADY_EXISTS, "duplicate transaction found [" + proposal.txId() + "]");
            }
            Simulation simulation = endorser.simulate(proposal);
            ProposalResponse response = simulation.response().getStatus() >= 400
                    ? ProposalResponse.newBuilder()
                            .setVersion(1)
                            .setResponse(simulation.response())
                            .build()
                    : endorser.signedResponse(proposal, simulation);
            observer.onNext(response);
            observer.onCompleted();
        } catch (RequestException e) {
            observer.onError(errors.error(e));
        } catch (RuntimeException e) {
            observer.onError(errors.internal("process proposal", e));
        }
    }
}
