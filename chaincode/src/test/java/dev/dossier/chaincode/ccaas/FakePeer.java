package dev.dossier.chaincode.ccaas;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.dossier.crypto.testing.TestPki;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The peer's side of Fabric's chaincode protocol, as a Fabric peer plays it with a chaincode-as-a-service server: it
 * opens the {@code protos.Chaincode/Connect} stream, expects the chaincode's {@code REGISTER}, answers {@code
 * REGISTERED} and {@code READY}, then sends {@code TRANSACTION}s with a signed proposal and serves the chaincode's
 * {@code GET_STATE}, {@code PUT_STATE}, {@code PUT_STATE_METADATA} (key-level endorsement policies, recorded per
 * key) and {@code DEL_STATE} from an in-memory world state until the chaincode ends
 * the transaction with {@code COMPLETED} or {@code ERROR}. As on a peer, reads see the committed state only; the
 * transaction's writes are committed when {@link #commit} is called.
 */
final class FakePeer implements AutoCloseable {
    /** A proposal's creator: an MSP id and a certificate of {@link TestPki}. */
    record Creator(String mspId, TestPki.Leaf leaf) {
        /** @return the {@code SerializedIdentity} a proposal's creator holds: MSP id and PEM certificate */
        ByteString serialized() {
            return SerializedIdentity.newBuilder()
                    .setMspid(mspId)
                    .setIdBytes(ByteString.copyFromUtf8(leaf.certificatePem()))
                    .build()
                    .toByteString();
        }

        X509Certificate certificate() {
            return leaf.certificate();
        }
    }

    static final String CHANNEL = "dossier";
    static final String CHAINCODE = "notary";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Object END = new Object();

    private final ManagedChannel channel;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final StreamObserver<ChaincodeMessage> toChaincode;
    private final Map<String, ByteString> state = new TreeMap<>();
    private final SecureRandom random = new SecureRandom();

    /** What one transaction did: the chaincode's last message, what it read, wrote and emitted. */
    record Execution(
            ChaincodeMessage last,
            List<String> reads,
            Map<String, ByteString> writes,
            Map<String, ByteString> validationParameters) {
        /** @return the chaincode's response, from a {@code COMPLETED} message */
        Response response() {
            assertThat(last.getType()).as("final message").isEqualTo(ChaincodeMessage.Type.COMPLETED);
            try {
                return Response.parseFrom(last.getPayload());
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("COMPLETED carries a Response", e);
            }
        }

        /** @return the event the transaction set, or null */
        ChaincodeEvent event() {
            return last.hasChaincodeEvent() ? last.getChaincodeEvent() : null;
        }
    }

    private FakePeer(ManagedChannel channel) {
        this.channel = channel;
        this.toChaincode = ChaincodeGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ChaincodeMessage message) {
                inbox.add(message);
            }

            @Override
            public void onError(Throwable t) {
                inbox.add(t);
            }

            @Override
            public void onCompleted() {
                inbox.add(END);
            }
        });
    }

    /** Opens the chat stream over {@code channel}; the chaincode speaks first. */
    static FakePeer connect(ManagedChannel channel) {
        return new FakePeer(channel);
    }

    /**
     * Waits for the chaincode's {@code REGISTER}, answers {@code REGISTERED} and {@code READY}.
     *
     * @return the chaincode id the chaincode registered with
     */
    ChaincodeID handshake() throws InterruptedException, InvalidProtocolBufferException {
        ChaincodeMessage register = receive();
        assertThat(register.getType()).isEqualTo(ChaincodeMessage.Type.REGISTER);
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED));
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY));
        return ChaincodeID.parseFrom(register.getPayload());
    }

    /** The next message from the chaincode; fails on a stream error or end, or after a minute. */
    ChaincodeMessage receive() throws InterruptedException {
        Object next = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no message from the chaincode within " + WAIT);
        }
        if (next instanceof Throwable t) {
            throw new AssertionError("the chat stream failed: " + t, t);
        }
        if (next == END) {
            throw new AssertionError("the chaincode ended the chat stream");
        }
        return (ChaincodeMessage) next;
    }

    /** The stream's failure, waiting for it; fails if a message comes instead. */
    Throwable failure() throws InterruptedException {
        Object next = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(next).as("stream failure").isInstanceOf(Throwable.class);
        return (Throwable) next;
    }

    /**
     * Invokes a chaincode function as {@code creator} and serves the chaincode's state requests until it completes.
     *
     * @param creator the transaction's creator
     * @param timestamp the proposal's timestamp (the chaincode's transaction time)
     * @param args function name and arguments
     */
    Execution execute(Creator creator, Instant timestamp, String... args)
            throws InterruptedException, GeneralSecurityException {
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        ByteString creatorBytes = creator.serialized();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(nonce);
        sha256.update(creatorBytes.toByteArray());
        String txId = HexFormat.of().formatHex(sha256.digest());
        SignedProposal proposal = signedProposal(creator, creatorBytes, nonce, txId, timestamp, args);
        return execute(txId, proposal, args);
    }

    /** Sends a {@code TRANSACTION} with the given proposal and serves it; the proposal need not be valid. */
    Execution execute(String txId, SignedProposal proposal, String... args) throws InterruptedException {
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (String arg : args) {
            input.addArgs(ByteString.copyFromUtf8(arg));
        }
        send(ChaincodeMessage.newBuilder()
                .setType(ChaincodeMessage.Type.TRANSACTION)
                .setTxid(txId)
                .setChannelId(CHANNEL)
                .setPayload(input.build().toByteString())
                .setProposal(proposal));
        List<String> reads = new ArrayList<>();
        Map<String, ByteString> writes = new LinkedHashMap<>();
        Map<String, ByteString> validationParameters = new LinkedHashMap<>();
        while (true) {
            ChaincodeMessage message = receive();
            assertThat(message.getTxid()).as("tx id of %s", message.getType()).isEqualTo(txId);
            assertThat(message.getChannelId())
                    .as("channel of %s", message.getType())
                    .isEqualTo(CHANNEL);
            try {
                switch (message.getType()) {
                    case GET_STATE -> {
                        String key = GetState.parseFrom(message.getPayload()).getKey();
                        reads.add(key);
                        respond(message, state.getOrDefault(key, ByteString.EMPTY));
                    }
                    case PUT_STATE -> {
                        PutState put = PutState.parseFrom(message.getPayload());
                        writes.put(put.getKey(), put.getValue());
                        respond(message, ByteString.EMPTY);
                    }
                    case PUT_STATE_METADATA -> {
                        PutStateMetadata put = PutStateMetadata.parseFrom(message.getPayload());
                        assertThat(put.getMetadata().getMetakey()).isEqualTo("VALIDATION_PARAMETER");
                        validationParameters.put(put.getKey(), put.getMetadata().getValue());
                        respond(message, ByteString.EMPTY);
                    }
                    case DEL_STATE -> {
                        writes.put(DelState.parseFrom(message.getPayload()).getKey(), null);
                        respond(message, ByteString.EMPTY);
                    }
                    case COMPLETED, ERROR -> {
                        return new Execution(message, reads, writes, validationParameters);
                    }
                    default ->
                        send(ChaincodeMessage.newBuilder()
                                .setType(ChaincodeMessage.Type.ERROR)
                                .setTxid(txId)
                                .setChannelId(CHANNEL)
                                .setPayload(
                                        ByteString.copyFromUtf8(message.getType() + " is not served by this test")));
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("malformed " + message.getType() + " from the chaincode", e);
            }
        }
    }

    /** Applies a successful transaction's writes to the world state, as its block's commit would. */
    void commit(Execution execution) {
        assertThat(execution.response().getStatus()).isEqualTo(200);
        execution.writes().forEach((key, value) -> {
            if (value == null) {
                state.remove(key);
            } else {
                state.put(key, value);
            }
        });
    }

    /** @return the committed world state */
    Map<String, ByteString> state() {
        return state;
    }

    private void respond(ChaincodeMessage request, ByteString payload) {
        send(ChaincodeMessage.newBuilder()
                .setType(ChaincodeMessage.Type.RESPONSE)
                .setTxid(request.getTxid())
                .setChannelId(request.getChannelId())
                .setPayload(payload));
    }

    private synchronized void send(ChaincodeMessage.Builder message) {
        toChaincode.onNext(message.build());
    }

    private static SignedProposal signedProposal(
            Creator creator, ByteString creatorBytes, byte[] nonce, String txId, Instant timestamp, String... args)
            throws GeneralSecurityException {
        ChaincodeID chaincodeId = ChaincodeID.newBuilder().setName(CHAINCODE).build();
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (String arg : args) {
            input.addArgs(ByteString.copyFromUtf8(arg));
        }
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder()
                        .setSeconds(timestamp.getEpochSecond())
                        .setNanos(timestamp.getNano()))
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(chaincodeId)
                        .build()
                        .toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(creatorBytes)
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        ChaincodeProposalPayload payload = ChaincodeProposalPayload.newBuilder()
                .setInput(ChaincodeInvocationSpec.newBuilder()
                        .setChaincodeSpec(ChaincodeSpec.newBuilder()
                                .setType(ChaincodeSpec.Type.JAVA)
                                .setChaincodeId(chaincodeId)
                                .setInput(input))
                        .build()
                        .toByteString())
                .build();
        ByteString proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString())
                        .build()
                        .toByteString())
                .setPayload(payload.toByteString())
                .build()
                .toByteString();
        byte[] signature = creator.leaf().keys().signingKey().sign(proposal.toByteArray());
        return SignedProposal.newBuilder()
                .setProposalBytes(proposal)
                .setSignature(ByteString.copyFrom(signature))
                .build();
    }

    @Override
    public void close() {
        try {
            toChaincode.onCompleted();
        } catch (RuntimeException e) {
            // the stream may have failed already
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
