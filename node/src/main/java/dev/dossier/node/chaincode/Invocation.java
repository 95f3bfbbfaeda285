package dev.dossier.node.chaincode;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * One chaincode invocation, as the chaincode sees it through its stub. Immutable: the list and map are copied, and
 * {@code binding} is copied in and out.
 *
 * <p>Example: {@code new Invocation("dossier", txId, List.of(ByteString.copyFromUtf8("status"),
 * ByteString.copyFromUtf8(hex)), Map.of(), creator, "Org1MSP", Instant.now(), signedProposal, binding)}.
 *
 * @param channelId the channel, returned by {@code getChannelId()}
 * @param txId the transaction id, returned by {@code getTxId()}
 * @param args function name then arguments, as in {@code ChaincodeInput.args}; for a contract the function is
 *     {@code "[contractName:]transactionName"}
 * @param transientMap the proposal's transient data, returned by {@code getTransient()}
 * @param creator the submitter, a serialized {@code msp.SerializedIdentity} whose {@code id_bytes} is a PEM X.509
 *     certificate; the contract API parses it on every call (for {@code ctx.getClientIdentity()}), so a creator that
 *     is not such an identity makes every contract transaction fail
 * @param mspId the MSP id of <em>this node</em> (the endorsing peer), returned by {@code getMspId()} as Fabric's
 *     shim returns the peer's {@code CORE_PEER_LOCALMSPID}; the submitter's MSP id is inside {@code creator}
 * @param timestamp the transaction timestamp from the proposal's channel header, returned by
 *     {@code getTxTimestamp()}
 * @param signedProposal the signed proposal, returned by {@code getSignedProposal()}; may be null
 * @param binding the proposal binding (SHA-256 of nonce, creator and epoch), returned by {@code getBinding()}; may be
 *     null
 */
public record Invocation(
        String channelId,
        String txId,
        List<ByteString> args,
        Map<String, ByteString> transientMap,
        ByteString creator,
        String mspId,
        Instant timestamp,
        SignedProposal signedProposal,
        byte[] binding) {

    /**
     * @throws NullPointerException if any component other than {@code signedProposal} and {@code binding} is null,
     *     or if {@code args} or {@code transientMap} holds a null
     */
    public Invocation {
        requireNonNull(channelId, "channelId");
        requireNonNull(txId, "txId");
        args = List.copyOf(requireNonNull(args, "args"));
        transientMap = Map.copyOf(requireNonNull(transientMap, "transientMap"));
        requireNonNull(creator, "creator");
        requireNonNull(mspId, "mspId");
        requireNonNull(timestamp, "timestamp");
        binding = binding == null ? null : binding.clone();
    }

    /** @return a copy of the binding, or null */
    @Override
    public byte[] binding() {
        return binding == null ? null : binding.clone();
    }

    /** Compares all components, the binding by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Invocation i
                && channelId.equals(i.channelId)
                && txId.equals(i.txId)
                && args.equals(i.args)
                && transientMap.equals(i.transientMap)
                && creator.equals(i.creator)
                && mspId.equals(i.mspId)
                && timestamp.equals(i.timestamp)
                && Objects.equals(signedProposal, i.signedProposal)
                && Arrays.equals(binding, i.binding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channelId, txId, args, transientMap, creator, mspId, timestamp, signedProposal)
                + 31 * Arrays.hashCode(binding);
    }

    @Override
    public String toString() {
        String function = args.isEmpty() ? "" : args.get(0).toStringUtf8();
        return "Invocation{" + channelId + ", " + txId + ", " + function + " + " + Math.max(0, args.size() - 1)
                + " args}";
    }
}
