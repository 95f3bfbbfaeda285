package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.clock.NodeClock;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.ledger.Ledger;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.SignatureException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;

/**
 * Fabric's orderer Deliver service ({@code orderer.AtomicBroadcast/Deliver}) over this node's committed blocks, as
 * Fabric peers and orderers pull blocks from an orderer: each request is a signed envelope of type
 * {@code DELIVER_SEEK_INFO} carrying a {@code SeekInfo}; the answer is the blocks from start to stop, then a status.
 * Nodes use it to fetch the blocks they miss (see {@link BlockPuller}); operators and auditors may read blocks too.
 *
 * <p>The requester's certificate must be valid for its organisation, its signature over the payload must verify,
 * and it must be allowed to read blocks (otherwise {@code FORBIDDEN}). The request's timestamp must be within
 * {@link #TIME_WINDOW} of this node's clock, as Fabric's orderer requires (otherwise {@code BAD_REQUEST}), so a request
 * seen on the wire cannot be replayed later to read blocks. Start and stop may be oldest, newest or a block
 * number; with {@code FAIL_IF_NOT_READY} a stop beyond the ledger's height is {@code NOT_FOUND}, with
 * {@code BLOCK_UNTIL_READY} the stream waits for it. Broadcast is not offered: transactions reach ordering through
 * the Gateway's Submit.
 */
public final class BlockDeliveryService extends AtomicBroadcastGrpc.AtomicBroadcastImplBase {
    private static final Logger LOG = Logger.getLogger(BlockDeliveryService.class.getName());
    private static final long POLL_MILLIS = 20;
    /** How far a request's timestamp may be from this node's clock: Fabric's default, as the gateway's. */
    static final Duration TIME_WINDOW = Duration.ofMinutes(15);

    private final String channel;
    private final Ledger ledger;
    private final IdentityValidator identities;
    private final Predicate<Identity> mayRead;

    /** @param mayRead whether a validated requester may read blocks */
    public BlockDeliveryService(
            String channel, Ledger ledger, IdentityValidator identities, Predicate<Identity> mayRead) {
        this.channel = requireNonNull(channel, "channel");
        this.ledger = requireNonNull(ledger, "ledger");
        this.identities = requireNonNull(identities, "identities");
        this.mayRead = requireNonNull(mayRead, "mayRead");
    }

    @Override
    public StreamObserver<Envelope> broadcast(StreamObserver<BroadcastResponse> observer) {
        observer.onError(io.grpc.Status.UNIMPLEMENTED
                .withDescription("submit transactions through the Gateway service")
                .asRuntimeException());
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> observer) {
        var call = (ServerCallStreamObserver<DeliverResponse>) observer;
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope request) {
                try {
                    Status status = serve(request, call);
                    if (!call.isCancelled()) {
                        call.onNext(
                                DeliverResponse.newBuilder().setStatus(status).build());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    call.onError(io.grpc.Status.UNAVAILABLE
                            .withDescription("node is stopping")
                            .asRuntimeException());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "deliver failed", e);
                    call.onError(io.grpc.Status.INTERNAL
                            .withDescription("deliver failed: " + e)
                            .asRuntimeException());
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                if (!call.isCancelled()) {
                    call.onCompleted();
                }
            }
        };
    }

    private Status serve(Envelope request, ServerCallStreamObserver<DeliverResponse> call) throws InterruptedException {
        SeekInfo seek;
        try {
            Payload payload = Payload.parseFrom(request.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            SignatureHeader signature =
                    SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
            if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
                return Status.BAD_REQUEST;
            }
            if (!channel.equals(header.getChannelId())) {
                return Status.NOT_FOUND;
            }
            Instant stamped = Instant.ofEpochSecond(
                    header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
            if (Duration.between(stamped, NodeClock.now()).abs().compareTo(TIME_WINDOW) > 0) {
                return Status.BAD_REQUEST;
            }
            Identity requester = identities.validate(signature.getCreator());
            requester.verify(
                    request.getPayload().toByteArray(), request.getSignature().toByteArray());
            if (!mayRead.test(requester)) {
                return Status.FORBIDDEN;
            }
            seek = SeekInfo.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            return Status.BAD_REQUEST;
        } catch (DateTimeException | ArithmeticException e) {
            return Status.BAD_REQUEST; // a timestamp out of Instant's range
        } catch (IdentityException | SignatureException e) {
            return Status.FORBIDDEN;
        }
        long height = ledger.height();
        long start = position(seek.getStart(), height);
        long stop = position(seek.getStop(), height);
        if (start == height && seek.getStop().hasNewest()) {
            return Status.SUCCESS; // nothing newer than what the requester has
        }
        if (start < 0 || stop < start) {
            return Status.BAD_REQUEST;
        }
        boolean wait = seek.getBehavior() == SeekInfo.SeekBehavior.BLOCK_UNTIL_READY;
        if (!wait && stop >= height) {
            return Status.NOT_FOUND;
        }
        for (long next = start; next <= stop && !call.isCancelled(); next++) {
            while (ledger.height() <= next) {
                if (call.isCancelled()) {
                    return Status.SERVICE_UNAVAILABLE;
                }
                Thread.sleep(POLL_MILLIS);
            }
            Block block = ledger.block(next).orElseThrow();
            while (!call.isReady() && !call.isCancelled()) {
                Thread.sleep(5);
            }
            call.onNext(DeliverResponse.newBuilder().setBlock(block).build());
        }
        return Status.SUCCESS;
    }

    private static long position(SeekPosition position, long height) {
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case NEWEST -> height - 1;
            case SPECIFIED -> position.getSpecified().getNumber();
            default -> -1;
        };
    }
}
