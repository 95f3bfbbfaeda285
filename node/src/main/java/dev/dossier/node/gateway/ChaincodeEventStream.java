package dev.dossier.node.gateway;

import dev.dossier.node.ledger.TxStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsRequest;
import org.hyperledger.fabric.protos.gateway.ChaincodeEventsResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * One open ChaincodeEvents call of a checked caller: the events of this node's chaincode in committed blocks, block
 * by block from the requested start, each block's valid transactions' events in their order, and only those created
 * by the caller's organisation when its {@link EventReaders.Scope scope} is its own organisation. Runs on a thread of
 * its own until the caller cancels or the node stops; waits for the caller to be ready before each response.
 *
 * <p>A checkpointed resume (the official client's {@code Checkpointer}: a start block and the id of the last
 * transaction whose event was handled) starts, as a Fabric 2.5 gateway does, at the block of that transaction when the
 * ledger holds it, and leaves out the events of that block up to and including that transaction's. A transaction id
 * the ledger does not hold is ignored: the stream starts at the start position with nothing left out (a Fabric
 * gateway would leave out every event until that transaction, so send nothing).
 */
final class ChaincodeEventStream implements Runnable {
    private final GatewayContext context;
    private final GatewayErrors errors;
    private final ServerCallStreamObserver<ChaincodeEventsResponse> call;
    private final long start;
    private final String afterTxId;
    private final EventReaders.Scope scope;
    private final String mspId;

    /**
     * The start block is fixed now: the oldest block, the one specified, or by default the next block to be
     * committed.
     */
    ChaincodeEventStream(
            GatewayContext context,
            GatewayErrors errors,
            ServerCallStreamObserver<ChaincodeEventsResponse> call,
            ChaincodeEventsRequest request,
            EventReaders.Scope scope,
            String mspId) {
        this.context = context;
        this.errors = errors;
        this.call = call;
        String after = request.getAfterTransactionId();
        Optional<TxStatus> afterTx =
                after.isEmpty() ? Optional.empty() : context.ledger().transaction(after);
        this.start = afterTx.isPresent() ? afterTx.get().blockNumber() : startBlock(context, request);
        this.afterTxId = afterTx.isPresent() ? after : "";
        this.scope = scope;
        this.mspId = mspId;
    }

    private static long startBlock(GatewayContext context, ChaincodeEventsRequest request) {
        var position = request.getStartPosition();
        return switch (position.getTypeCase()) {
            case OLDEST -> 0;
            case SPECIFIED -> position.getSpecified().getNumber();
            default -> context.ledger().height();
        };
    }

    @Override
    public void run() {
        String chaincode = context.runtime().name();
        boolean skipping = !afterTxId.isEmpty();
        long next = start;
        try {
            while (!call.isCancelled()) {
                if (!context.notifier().awaitBlock(next, 1_000)) {
                    continue;
                }
                Block block = context.ledger().block(next).orElseThrow();
                List<ChaincodeEvent> events = new ArrayList<>();
                byte[] filter = block.getMetadata()
                        .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                        .toByteArray();
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    Optional<BlockEvents.Emitted> emitted =
                            BlockEvents.read(block.getData().getData(i));
                    if (skipping && next == start) {
                        if (emitted.isPresent()
                                && emitted.get().event().getTxId().equals(afterTxId)) {
                            skipping = false;
                        }
                        continue;
                    }
                    if (emitted.isEmpty() || filter[i] != TxValidationCode.VALID_VALUE) {
                        continue;
                    }
                    ChaincodeEvent event = emitted.get().event();
                    boolean visible = scope == EventReaders.Scope.ALL
                            || emitted.get().creatorMspId().equals(mspId);
                    if (visible && event.getChaincodeId().equals(chaincode)) {
                        events.add(event);
                    }
                }
                if (!events.isEmpty()) {
                    while (!call.isReady() && !call.isCancelled()) {
                        Thread.sleep(10);
                    }
                    call.onNext(ChaincodeEventsResponse.newBuilder()
                            .setBlockNumber(next)
                            .addAllEvents(events)
                            .build());
                }
                next++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(
                    Status.UNAVAILABLE.withDescription("node is shutting down").asRuntimeException());
        } catch (RuntimeException e) {
            if (!call.isCancelled()) {
                call.onError(errors.internal("chaincode events", e));
            }
        }
    }
}
