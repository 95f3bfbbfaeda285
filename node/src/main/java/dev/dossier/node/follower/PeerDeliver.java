package dev.dossier.node.follower;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.identity.Signer;
import dev.dossier.node.ordering.SeekRequests;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * One stream of blocks from a Fabric peer's Deliver service ({@code protos.Deliver/Deliver}): a seek request signed
 * by the follower's identity (the peer checks it against the channel's Readers policy) for every block from a number
 * on, waiting for new ones ({@code BLOCK_UNTIL_READY}, stop at the largest number, as Fabric's own clients ask). Each
 * block is handed to the receiver on the stream's thread before the next is read, so at most one block is held
 * (gRPC's flow control keeps the rest at the peer).
 */
final class PeerDeliver {
    /** Receives the stream's blocks in order. */
    @FunctionalInterface
    interface Receiver {
        /**
         * @throws Exception to end the stream (the block was refused, or could not be stored)
         */
        void accept(Block block) throws Exception;
    }

    private final PeerConnection peer;
    private final String channel;
    private final Signer signer;

    PeerDeliver(PeerConnection peer, String channel, Signer signer) {
        this.peer = requireNonNull(peer, "peer");
        this.channel = requireNonNull(channel, "channel");
        this.signer = requireNonNull(signer, "signer");
    }

    /**
     * Streams blocks from {@code from} on until the peer ends the stream, the receiver throws, or the thread is
     * interrupted.
     *
     * @throws Exception what the receiver threw
     * @throws IOException if the peer cannot be reached, refuses the request (a status such as FORBIDDEN when the
     *     identity is not a reader of the channel) or ends the stream
     * @throws InterruptedException if interrupted while waiting
     */
    void stream(long from, Receiver receiver, ExecutorService executor) throws Exception {
        ManagedChannel connection = peer.open(executor);
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        try {
            StreamObserver<Envelope> requests = DeliverGrpc.newStub(connection).deliver(new StreamObserver<>() {
                private long expected = from;

                @Override
                public void onNext(DeliverResponse response) {
                    if (ended.getCount() == 0) {
                        return;
                    }
                    if (!response.hasBlock()) {
                        end(new IOException("the peer " + peer.address() + " answered " + response.getStatus()
                                + " to a request for the blocks of channel " + channel + " from " + from));
                        return;
                    }
                    Block block = response.getBlock();
                    if (block.getHeader().getNumber() != expected) {
                        end(new IOException("the peer " + peer.address() + " sent block "
                                + block.getHeader().getNumber() + ", expected " + expected));
                        return;
                    }
                    try {
                        receiver.accept(block);
                        expected++;
                    } catch (Exception e) {
                        end(e);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    end(new IOException(
                            "the stream of blocks from " + peer.address() + " failed: " + t.getMessage(), t));
                }

                @Override
                public void onCompleted() {
                    end(new IOException("the peer " + peer.address() + " ended the stream of blocks"));
                }

                private void end(Exception e) {
                    failure.compareAndSet(null, e);
                    ended.countDown();
                }
            });
            requests.onNext(SeekRequests.signed(channel, signer, seek(from)));
            ended.await();
            try {
                requests.onCompleted();
            } catch (IllegalStateException e) {
                // the call is already closed
            }
            throw failure.get();
        } finally {
            connection.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static SeekInfo seek(long from) {
        return SeekInfo.newBuilder()
                .setStart(SeekPosition.newBuilder()
                        .setSpecified(SeekSpecified.newBuilder().setNumber(from)))
                .setStop(SeekPosition.newBuilder()
                        .setSpecified(SeekSpecified.newBuilder().setNumber(-1L))) // 2^64 - 1: never stop
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
                .build();
    }
}
