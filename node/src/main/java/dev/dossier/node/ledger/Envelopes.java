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
        return readWriteSet(envelope, false);
    }

    /**
     * As {@link #readWriteSet(Envelope)}; with {@code aliased}, every bytes field decoded on the way (and those of
     * the result) is a view of the envelope's bytes instead of a copy: for one look into a large transaction whose
     * bytes are not changed afterwards, such as a stored block's.
     */
    static TxReadWriteSet readWriteSet(Envelope envelope, boolean aliased) throws InvalidProtocolBufferException {
        requireNonNull(envelope, "envelope");
        Payload payload = parse(Payload.parser(), envelope.getPayload(), aliased);
        Transaction transaction = parse(Transaction.parser(), payload.getData(), aliased);
        if (transaction.getActionsCount() == 0) {
            throw new InvalidProtocolBufferException("transaction has no actions");
        }
        ChaincodeActionPayload actionPayload =
                parse(ChaincodeActionPayload.parser(), transaction.getActions(0).getPayload(), aliased);
        ProposalResponsePayload responsePayload = parse(
                ProposalResponsePayload.parser(), actionPayload.getAction().getProposalResponsePayload(), aliased);
        ChaincodeAction action = parse(ChaincodeAction.parser(), responsePayload.getExtension(), aliased);
        return parse(TxReadWriteSet.parser(), action.getResults(), aliased);
    }

    /** @return the message in {@code bytes}; with {@code aliased}, its bytes fields are views of {@code bytes} */
    static <T> T parse(Parser<T> parser, ByteString bytes, boolean aliased) throws InvalidProtocolBufferException {
        if (!aliased) {
            return parser.parseFrom(bytes);
        }
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
        Payload payload = Payload.parseFrom(envelope.getPayload());
        return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
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
