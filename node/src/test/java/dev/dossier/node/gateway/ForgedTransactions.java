package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Signer;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.gateway.ProposedTransaction;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * What a dishonest organisation's modified node can do with any proposal of its own users: skip the simulation, put
 * the write set of its choosing into the response and endorse it with its node key. The result is the unsigned
 * transaction its user then signs and submits.
 */
public final class ForgedTransactions {
    private ForgedTransactions() {}

    /**
     * @param proposedTransaction the fabric-gateway client's proposal bytes ({@code Proposal.getBytes()})
     * @param chaincode the chaincode name the endorsed response claims
     * @param results the forged read-write set
     * @param node the node key that endorses it
     * @return the unsigned transaction envelope
     */
    public static Envelope endorse(byte[] proposedTransaction, String chaincode, TxReadWriteSet results, Signer node)
            throws Exception {
        Proposal proposal = Proposal.parseFrom(
                ProposedTransaction.parseFrom(proposedTransaction).getProposal().getProposalBytes());
        Header header = Header.parseFrom(proposal.getHeader());
        ByteString payload = Transactions.withoutTransient(ChaincodeProposalPayload.parseFrom(proposal.getPayload()));
        ChaincodeAction action = ChaincodeAction.newBuilder()
                .setResults(results.toByteString())
                .setResponse(Response.newBuilder().setStatus(200))
                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode).setVersion("1.0"))
                .build();
        ByteString response = ProposalResponsePayload.newBuilder()
                .setProposalHash(Transactions.proposalHash(header, payload))
                .setExtension(action.toByteString())
                .build()
                .toByteString();
        ByteString endorser = node.serializedIdentity();
        Endorsement endorsement = Endorsement.newBuilder()
                .setEndorser(endorser)
                .setSignature(
                        ByteString.copyFrom(node.sign(response.concat(endorser).toByteArray())))
                .build();
        return Transactions.preparedTransaction(
                header,
                payload,
                ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(response)
                        .addEndorsements(endorsement)
                        .build());
    }
}
