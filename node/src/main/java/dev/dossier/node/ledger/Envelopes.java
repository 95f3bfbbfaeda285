package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/** Helpers that dig into Fabric transaction envelopes; shared by the ledger and the committer. */
public final class Envelopes {
    /**
     * Name of the genesis config value (in the {@code Application} group) holding the channel's initial world state:
     * a serialized {@code rwset.TxReadWriteSet} whose writes and metadata writes the genesis block applies.
     */
    public static final String INITIAL_STATE = "DossierInitialState";

    private Envelopes() {}

    /**
     * Extracts the simulation results of an endorser transaction, following the path a Fabric peer follows:
     * {@code Payload.data} → {@code Transaction.actions[0].payload} → {@code ChaincodeActionPayload.action
     * .proposal_response_payload} → {@code ProposalResponsePayload.extension} → {@code ChaincodeAction.results}.
     *
     * @return the decoded read-write set
     * @throws InvalidProtocolBufferException if any step does not decode or the transaction has no action
     * @throws NullPointerException if {@code envelope} is null
     */
    public static TxReadWriteSet readWriteSet(Envelope envelope) throws InvalidProtocolBufferException {
        requireNonNull(envelope, "envelope");
        Payload payload = decode(Payload.parser(), envelope.getPayload());
        Transaction transaction = decode(Transaction.parser(), payload.getData());
        if (transaction.getActionsCount() == 0) {
            throw new InvalidProtocolBufferException("transaction has no actions");
        }
        ChaincodeActionPayload actionPayload = decode(
                ChaincodeActionPayload.parser(), transaction.getActions(0).getPayload());
        ProposalResponsePayload responsePayload = decode(
                ProposalResponsePayload.parser(), actionPayload.getAction().getProposalResponsePayload());
        ChaincodeAction action = decode(ChaincodeAction.parser(), responsePayload.getExtension());
        return decode(TxReadWriteSet.parser(), action.getResults());
    }

    /**
     * Decodes a message as {@code parser.parseFrom(bytes)} does, but without copying its bytes fields: they are
     * views of {@code bytes}. A transaction envelope nests its read-write set five messages deep, each a bytes field
     * of the one around it, and a bulk transaction is hundreds of kilobytes: decoding it with copies copies it five
     * times. The views keep {@code bytes} in memory as long as they are referenced; for messages decoded, used and
     * dropped.
     *
     * @throws InvalidProtocolBufferException if the bytes are not one whole message
     */
    public static <T> T decode(Parser<T> parser, ByteString bytes) throws InvalidProtocolBufferException {
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        T message = parser.parseFrom(in);
        in.checkLastTagWas(0);
        return message;
    }

    /**
     * @return the envelope's decoded channel header
     * @throws InvalidProtocolBufferException if the payload or its channel header does not decode
     */
    static ChannelHeader channelHeader(Envelope envelope) throws InvalidProtocolBufferException {
        Payload payload = decode(Payload.parser(), envelope.getPayload());
        return decode(ChannelHeader.parser(), payload.getHeader().getChannelHeader());
    }

    /** @return the channel header's tx id, or null when the channel header does not decode */
    static String txIdOrNull(Envelope envelope) {
        try {
            return channelHeader(envelope).getTxId();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
