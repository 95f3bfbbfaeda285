package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/** Reads the chaincode event out of a transaction stored in a block. */
final class BlockEvents {
    private BlockEvents() {}

    /** @return the transaction's chaincode event, or null if it has none or is not an endorser transaction */
    static ChaincodeEvent chaincodeEvent(ByteString envelopeBytes) {
        try {
            Payload payload =
                    Payload.parseFrom(Envelope.parseFrom(envelopeBytes).getPayload());
            Transaction transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() == 0) {
                return null;
            }
            ChaincodeActionPayload actionPayload =
                    ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
            ChaincodeAction action = ChaincodeAction.parseFrom(
                    ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload())
                            .getExtension());
            if (action.getEvents().isEmpty()) {
                return null;
            }
            ChaincodeEvent event = ChaincodeEvent.parseFrom(action.getEvents());
            return event.getEventName().isEmpty() ? null : event;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
