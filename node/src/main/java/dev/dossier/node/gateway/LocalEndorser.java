package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.chaincode.Invocation;
import dev.dossier.node.chaincode.Simulation;
import dev.dossier.node.consortium.ConsortiumCalls;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.identity.Signer;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * This node as an endorser: simulates a checked proposal with the in-process chaincode against committed state, and
 * signs the result as a Fabric peer's endorser does. Serves both the Gateway's Evaluate and Endorse and the Endorser
 * service that other nodes call; every endorsement it signs is remembered in the context's {@link KnownSignatures}.
 */
final class LocalEndorser {
    private static final String CHAINCODE_VERSION = "1.0";

    private final GatewayContext context;

    LocalEndorser(GatewayContext context) {
        this.context = context;
    }

    /** Runs the proposal's chaincode invocation against committed state; nothing is written. */
    Simulation simulate(CheckedProposal proposal) {
        SignedProposal signed = proposal.signedProposal();
        ByteString creator = proposal.creator().serialized();
        Invocation invocation = new Invocation(
                proposal.channelHeader().getChannelId(),
                proposal.txId(),
                proposal.invocationSpec().getChaincodeSpec().getInput().getArgsList(),
                proposal.payload().getTransientMapMap(),
                creator,
                proposal.creator().mspId(),
                proposal.timestamp(),
                signed,
                Transactions.binding(
                        proposal.nonce(), creator, proposal.channelHeader().getEpoch()));
        if (isConsortiumChange(proposal)) {
            return ConsortiumCalls.simulate(
                    context.ledger(),
                    invocation.args(),
                    new ConsortiumChanges.Caller(
                            proposal.creator().mspId(),
                            proposal.creator().attributes().get(EventReaders.ROLE_ATTRIBUTE)));
        }
        return context.runtime().simulate(context.ledger(), invocation);
    }

    private static boolean isConsortiumChange(CheckedProposal proposal) {
        return proposal.invocationSpec()
                .getChaincodeSpec()
                .getChaincodeId()
                .getName()
                .equals(ConsortiumChanges.NAMESPACE);
    }

    /** This node's endorsement of a simulated proposal, as its Endorser service answers it. */
    ProposalResponse signedResponse(CheckedProposal proposal, Simulation simulation) {
        ChaincodeID chaincodeId = ChaincodeID.newBuilder()
                .setName(
                        isConsortiumChange(proposal)
                                ? ConsortiumChanges.NAMESPACE
                                : context.runtime().name())
                .setVersion(CHAINCODE_VERSION)
                .build();
        ChaincodeAction.Builder action = ChaincodeAction.newBuilder()
                .setResults(simulation.readWriteSet().toByteString())
                .setResponse(simulation.response())
                .setChaincodeId(chaincodeId);
        ChaincodeEvent event = simulation.event();
        if (event != null) {
            action.setEvents(event.toBuilder()
                    .setChaincodeId(chaincodeId.getName())
                    .setTxId(proposal.txId())
                    .build()
                    .toByteString());
        }
        ByteString payloadWithoutTransient = Transactions.withoutTransient(proposal.payload());
        ByteString responsePayload = ProposalResponsePayload.newBuilder()
                .setProposalHash(Transactions.proposalHash(proposal.header(), payloadWithoutTransient))
                .setExtension(action.build().toByteString())
                .build()
                .toByteString();
        Signer signer = context.signer();
        ByteString endorser = signer.serializedIdentity();
        byte[] digest = KnownSignatures.endorsementDigest(responsePayload, endorser);
        Endorsement endorsement = Endorsement.newBuilder()
                .setEndorser(endorser)
                .setSignature(ByteString.copyFrom(signer.signDigest(digest)))
                .build();
        context.knownSignatures().addEndorsement(digest, endorsement);
        return ProposalResponse.newBuilder()
                .setVersion(1)
                .setResponse(simulation.response())
                .setPayload(responsePayload)
                .setEndorsement(endorsement)
                .build();
    }
}
