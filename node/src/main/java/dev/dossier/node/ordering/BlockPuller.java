package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.dossier.node.NodeClock;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsSettings;
import dev.dossier.node.ledger.LedgerException;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;

/**
 * Fetches blocks from another node's {@link BlockDeliveryService}, with a seek request signed by this node: from the
 * requested block up to the other node's newest block at the time of the request.
 */
public final class BlockPuller implements BlockSource {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long IDLE_TIMEOUT_SECONDS = 60;

    private final String channel;
    private final Signer signer;
    private final Map<String, String> addresses;
    private final TlsSettings tls;
    private final ClientInterceptor[] interceptors;

    /**
     * @param addresses each node's name and gateway address ({@code host:port})
     * @param tls this node's TLS, to reach the other nodes with, or null for plaintext
     * @param interceptors on every call to another node (the node's gRPC client metrics, say)
     */
    public BlockPuller(
            String channel,
            Signer signer,
            Map<String, String> addresses,
            TlsSettings tls,
            ClientInterceptor... interceptors) {
        this.tls = tls;
        this.interceptors = interceptors.clone();
        this.channel = requireNonNull(channel, "channel");
        this.signer = requireNonNull(signer, "signer");
        this.addresses = Map.copyOf(addresses);
    }

    @Override
    public void fetch(String node, long from, Receiver receiver)
            throws IOException, LedgerException, InterruptedException {
        fetch(node, from, -1, receiver);
    }

    /**
     * @return block {@code number} of node {@code node}
     * @throws IOException if the node cannot be reached or does not have that block
     */
    public Block fetchBlock(String node, long number) throws IOException, InterruptedException {
        Block[] out = new Block[1];
        try {
            fetch(node, number, number, block -> out[0] = block);
        } catch (LedgerException e) {
            throw new AssertionError("this receiver refuses nothing", e);
        }
        if (out[0] == null) {
            throw new IOException(node + " sent no block " + number);
        }
        return out[0];
    }

    /** Fetches from {@code from} to {@code to} (inclusive), or to the newest block if {@code to} is negative. */
    private void fetch(String node, long from, long to, Receiver receiver)
            throws IOException, LedgerException, InterruptedException {
        String address = addresses.get(node);
        if (address == null) {
            throw new IOException("no address for node " + node);
        }
        ManagedChannel connection = TlsSettings.channel(address, tls);
        BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
        try {
            StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(connection)
                    .withInterceptors(interceptors)
                    .deliver(new StreamObserver<>() {
                        @Override
                        public void onNext(DeliverResponse response) {
                            responses.add(response);
                        }

                        @Override
                        public void onError(Throwable t) {
                            responses.add(t);
                        }

                        @Override
                        public void onCompleted() {}
                    });
            requests.onNext(seekRequest(from, to));
            long expected = from;
            while (true) {
                Object next = responses.poll(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    requests.onError(new IOException("timed out"));
                    throw new IOException("no answer from " + node + " for " + IDLE_TIMEOUT_SECONDS + " s");
                }
                if (next instanceof Throwable failure) {
                    throw new IOException("fetching blocks from " + node + " failed: " + failure.getMessage(), failure);
                }
                DeliverResponse response = (DeliverResponse) next;
                if (response.hasBlock()) {
                    if (response.getBlock().getHeader().getNumber() != expected) {
                        throw new IOException(node + " sent block "
                                + response.getBlock().getHeader().getNumber() + ", expected " + expected);
                    }
                    receiver.accept(response.getBlock());
                    expected++;
                } else {
                    requests.onCompleted();
                    if (response.getStatus() != Status.SUCCESS) {
                        throw new IOException(
                                node + " answered " + response.getStatus() + " to a request for blocks from " + from);
                    }
                    return;
                }
            }
        } finally {
            connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Envelope seekRequest(long from, long to) {
        Instant now = NodeClock.now();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                .setChannelId(channel)
                .setTimestamp(
                        Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(signer.serializedIdentity())
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        SeekInfo seek = SeekInfo.newBuilder()
                .setStart(SeekPosition.newBuilder()
                        .setSpecified(SeekSpecified.newBuilder().setNumber(from)))
                .setStop(
                        to < 0
                                ? SeekPosition.newBuilder()
                                        .setNewest(SeekNewest.getDefaultInstance())
                                        .build()
                                : SeekPosition.newBuilder()
                                        .setSpecified(SeekSpecified.newBuilder().setNumber(to))
                                        .build())
                .setBehavior(SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)
                .build();
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()))
                .setData(seek.toByteString())
                .build()
                .toByteString();
        return Envelope.newBuilder()
                .setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray())))
                .build();
    }
}
