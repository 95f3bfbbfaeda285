package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import io.grpc.Status;
import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Checks a signed proposal as a Fabric peer's endorser does (core/common/validation ValidateProposalMessage): the
 * bytes parse, the header is an endorser transaction of epoch 0 on our channel, the creator is valid for its
 * organisation, the signature over the proposal bytes exactly as received is valid and low-S, the transaction id is
 * {@code hex(SHA-256(nonce || creator))}, and the chaincode is the one this node runs or the consortium's system
 * namespace ({@link ConsortiumChanges}). The proposal's timestamp must
 * also be within {@link #TIME_WINDOW} of the node's clock (Fabric's {@code peer.authentication.timewindow}): a
 * proposal signed long ago, or dated in the future, is refused even when its signature holds.
 */
final class ProposalChecker {
    /** How far a proposal's timestamp may be from the node's clock, either way (Fabric's default). */
    static final Duration TIME_WINDOW = Duration.ofMinutes(15);

    private final IdentityValidator identities;
    private final String channel;
    private final String chaincode;

    ProposalChecker(IdentityValidator identities, String channel, String chaincode) {
        this.identities = Objects.requireNonNull(identities, "identities");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.chaincode = Objects.requireNonNull(chaincode, "chaincode");
    }

    CheckedProposal check(SignedProposal signed, String requestTxId, String requestChannel) throws RequestException {
        if (signed == null || signed.getProposalBytes().isEmpty()) {
            throw invalid("a signed proposal is required");
        }
        Proposal proposal;
        Header header;
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        ChaincodeProposalPayload payload;
        ChaincodeInvocationSpec spec;
        ChaincodeHeaderExtension extension;
        try {
            proposal = Proposal.parseFrom(signed.getProposalBytes());
            header = Header.parseFrom(proposal.getHeader());
            channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            spec = ChaincodeInvocationSpec.parseFrom(payload.getInput());
            extension = ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw invalid("failed to unpack transaction proposal: " + e.getMessage());
        }
        if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            throw invalid("invalid header type " + channelHeader.getType() + ": only ENDORSER_TRANSACTION proposals");
        }
        if (channelHeader.getEpoch() != 0) {
            throw invalid("invalid epoch " + channelHeader.getEpoch() + ": must be 0");
        }
        if (signatureHeader.getNonce().isEmpty()) {
            throw invalid("invalid signature header: nonce is empty");
        }
        if (signatureHeader.getCreator().isEmpty()) {
            throw invalid("invalid signature header: creator is empty");
        }
        if (channelHeader.getChannelId().isEmpty()) {
            throw invalid("no channel id provided");
        }
        if (!channelHeader.getChannelId().equals(channel)) {
            throw new RequestException(
                    Status.Code.NOT_FOUND,
                    "channel '" + channelHeader.getChannelId() + "' is not served by this node (it serves '" + channel
                            + "')");
        }
        Optional<Instant> stamped = Transactions.timestamp(channelHeader);
        if (stamped.isEmpty()) {
            throw invalid("proposal timestamp of "
                    + channelHeader.getTimestamp().getSeconds() + " seconds since the epoch is out of range");
        }
        Instant timestamp = stamped.get();
        Instant now = NodeClock.now();
        if (Duration.between(timestamp, now).abs().compareTo(TIME_WINDOW) > 0) {
            throw invalid("proposal timestamp " + timestamp + " is more than " + TIME_WINDOW.toMinutes()
                    + " minutes from the node's time " + now + ": check the client's clock");
        }
        if (!requestChannel.isEmpty() && !requestChannel.equals(channelHeader.getChannelId())) {
            throw invalid("request channel '" + requestChannel + "' differs from the proposal's channel '"
                    + channelHeader.getChannelId() + "'");
        }
        String name = spec.getChaincodeSpec().getChaincodeId().getName();
        if (name.isEmpty()) {
            throw invalid("no chaincode name is provided, channel id [" + channel + "]");
        }
        boolean served = name.equals(chaincode) || name.equals(ConsortiumChanges.NAMESPACE);
        if (!served || !extension.getChaincodeId().getName().equals(name)) {
            throw new RequestException(
                    Status.Code.NOT_FOUND,
                    "chaincode '" + name + "' is not deployed on channel '" + channel + "' (deployed: '" + chaincode
                            + "', and the consortium's " + ConsortiumChanges.NAMESPACE + ")");
        }
        Identity creator = verifiedCreator(
                signatureHeader.getCreator(), signed.getProposalBytes().toByteArray(), signed.getSignature());
        String expectedTxId = Transactions.txId(signatureHeader.getNonce(), signatureHeader.getCreator());
        if (!expectedTxId.equals(channelHeader.getTxId())) {
            throw invalid("incorrectly computed transaction id '" + channelHeader.getTxId() + "': expected "
                    + expectedTxId + " = SHA-256(nonce || creator)");
        }
        if (!requestTxId.isEmpty() && !requestTxId.equals(channelHeader.getTxId())) {
            throw invalid("request transaction id '" + requestTxId + "' differs from the proposal's '"
                    + channelHeader.getTxId() + "'");
        }
        return new CheckedProposal(signed, header, channelHeader, signatureHeader.getNonce(), payload, spec, creator);
    }

    /**
     * Validates a creator identity and verifies its signature over {@code message}.
     *
     * @throws RequestException PERMISSION_DENIED naming what failed
     */
    Identity verifiedCreator(ByteString creator, byte[] message, ByteString signature) throws RequestException {
        Identity identity;
        try {
            identity = identities.validate(creator);
        } catch (IdentityException e) {
            throw new RequestException(Status.Code.PERMISSION_DENIED, "creator rejected: " + e.getMessage(), e);
        }
        if (signature.isEmpty()) {
            throw new RequestException(Status.Code.PERMISSION_DENIED, "request is not signed");
        }
        try {
            identity.verify(message, signature.toByteArray());
        } catch (SignatureException e) {
            throw new RequestException(
                    Status.Code.PERMISSION_DENIED,
                    "signature of " + identity.mspId() + " creator is not valid: " + e.getMessage(),
                    e);
        }
        return identity;
    }

    private static RequestException invalid(String message) {
        return new RequestException(Status.Code.INVALID_ARGUMENT, message);
    }
}
