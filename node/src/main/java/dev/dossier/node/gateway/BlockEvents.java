package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/** Reads the chaincode event out of a transaction stored in a block, with the organisation that created it. */
final class BlockEvents {
    private BlockEvents() {}

    /**
     * A transaction's chaincode event and the MSP id of the transaction's creator (the organisation whose user signed
     * it: the one an event of the notary contract concerns, since its users act only for their own organisation).
     */
    record Emitted(String creatorMspId, ChaincodeEvent event) {}

    /**
     * @return the transaction's chaincode event with its creator's organisation; empty if the transaction has no
     *     named event, is not an endorser transaction, or does not parse
     */
    static Optional<Emitted> read(ByteString envelopeBytes) {
        try {
            Payload payload =
                    Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload());
            Transaction transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() == 0) {
                return Optional.empty();
            }
            ChaincodeActionPayload actionPayload =
                    ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
            ChaincodeAction action = ChaincodeAction.parseFrom(
                    ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload())
                            .getExtension());
            if (action.getEvents().isEmpty()) {
                return Optional.empty();
            }
            ChaincodeEvent event = ChaincodeEvent.parseFrom(action.getEvents());
            if (event.getEventName().isEmpty()) {
                return Optional.empty();
            }
            SignatureHeader signature =
                    SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            String creator =
                    SerializedIdentity.parseFrom(signature.getCreator()).getMspid();
            return Optional.of(new Emitted(creator, event));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }
}
