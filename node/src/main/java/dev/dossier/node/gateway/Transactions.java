package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.dossier.common.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * The byte-level formulas of Fabric transactions that the gateway and the validator share: transaction id, proposal
 * hash, binding, and the assembly of an endorsed transaction envelope, each exactly as Fabric's protoutil computes it.
 */
final class Transactions {
    private Transactions() {}

    /** @return {@code hex(SHA-256(nonce || creator))}, Fabric's transaction id */
    static String txId(ByteString nonce, ByteString creator) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(nonce.asReadOnlyByteBuffer());
        sha.update(creator.asReadOnlyByteBuffer());
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * @return the channel header's timestamp, or empty if it lies beyond the range of {@link Instant} (a protobuf
     *     Timestamp holds any 64-bit seconds and 32-bit nanoseconds)
     */
    static Optional<Instant> timestamp(ChannelHeader header) {
        Timestamp timestamp = header.getTimestamp();
        try {
            return Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
        } catch (DateTimeException | ArithmeticException outOfRange) {
            return Optional.empty();
        }
    }

    /** @return {@code SHA-256(nonce || creator || little-endian epoch)}, the binding the shim exposes */
    static byte[] binding(ByteString nonce, ByteString creator, long epoch) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(nonce.asReadOnlyByteBuffer());
        sha.update(creator.asReadOnlyByteBuffer());
        sha.update(ByteBuffer.allocate(Long.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(epoch)
                .array());
        return sha.digest();
    }

    /**
     * Fabric's proposal hash (protoutil.GetProposalHash1/2): SHA-256 over the channel header bytes, the signature
     * header bytes and the chaincode proposal payload bytes without the transient map.
     */
    static ByteString proposalHash(Header header, ByteString payloadWithoutTransient) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(header.getChannelHeader().asReadOnlyByteBuffer());
        sha.update(header.getSignatureHeader().asReadOnlyByteBuffer());
        sha.update(payloadWithoutTransient.asReadOnlyByteBuffer());
        return ByteString.copyFrom(sha.digest());
    }

    /** @return the proposal payload as it goes into a transaction: the transient map removed */
    static ByteString withoutTransient(ChaincodeProposalPayload payload) {
        return ChaincodeProposalPayload.newBuilder()
                .setInput(payload.getInput())
                .build()
                .toByteString();
    }

    /**
     * Assembles the unsigned transaction envelope that the client signs and submits, as Fabric's gateway
     * prepareTransaction does.
     */
    static Envelope preparedTransaction(
            Header header, ByteString payloadWithoutTransient, ChaincodeEndorsedAction action) {
        ByteString actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(payloadWithoutTransient)
                .setAction(action)
                .build()
                .toByteString();
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder()
                        .setHeader(header.getSignatureHeader())
                        .setPayload(actionPayload))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(header)
                .setData(transaction.toByteString())
                .build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    /** @return the invoked function: the first chaincode argument as UTF-8, or empty if there is none */
    static String function(ChaincodeInvocationSpec spec) {
        var args = spec.getChaincodeSpec().getInput().getArgsList();
        return args.isEmpty() ? "" : args.get(0).toStringUtf8();
    }
}
