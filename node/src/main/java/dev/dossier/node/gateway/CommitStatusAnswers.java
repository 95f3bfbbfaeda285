package dev.dossier.node.gateway;

import dev.dossier.node.ledger.TxStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gateway.CommitStatusResponse;

/**
 * Answers the CommitStatus calls that wait for their transaction: with its validation code and block once the block
 * is fsynced, or with {@code UNAVAILABLE} once ordering has stopped on this node (the ledger failed to write, a full
 * disk say), since nothing more will be committed here until the node is restarted. A watch checks every second
 * whether ordering has stopped, so waiters do not wait for ever; it ends when the context closes.
 */
final class CommitStatusAnswers {
    private static final ScheduledExecutorService HEALTH_WATCH =
            Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "commit-status-health");
                thread.setDaemon(true);
                return thread;
            });

    private final GatewayContext context;
    private final CommitNotifier notifier;
    private final Executor responses;

    /** @param responses completes the calls off the block-commit thread */
    CommitStatusAnswers(GatewayContext context, Executor responses) {
        this.context = context;
        this.notifier = context.notifier();
        this.responses = responses;
        var watch = HEALTH_WATCH.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (context.orderingFailed()) {
                            notifier.failWaiters(new IllegalStateException("ordering stopped on this node"));
                        }
                    } catch (RuntimeException e) {
                        // a closed context: nothing to watch any more
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        context.onClose(() -> watch.cancel(false));
    }

    /** Answers {@code call} once {@code txId} is committed, or fails it; gives {@code permit} back either way. */
    void answerOnCommit(
            ServerCallStreamObserver<CommitStatusResponse> call, String txId, CommitStatusWaiters.Permit permit) {
        CompletableFuture<TxStatus> status = notifier.await(txId);
        call.setOnCancelHandler(() -> {
            notifier.forget(txId, status);
            permit.release();
        });
        if (!status.isDone() && context.orderingFailed()) {
            // ordering stopped (the ledger failed to write, a full disk say): nothing more is committed here
            notifier.failWaiters(new IllegalStateException("ordering stopped on this node"));
        }
        status.whenCompleteAsync(
                (s, failure) -> {
                    permit.release();
                    if (call.isCancelled()) {
                        return;
                    }
                    if (failure != null) {
                        call.onError(Status.UNAVAILABLE
                                .withDescription("transaction " + txId + " will not be committed by this node: "
                                        + failure.getMessage() + " (see the node's log)")
                                .asRuntimeException());
                        return;
                    }
                    call.onNext(CommitStatusResponse.newBuilder()
                            .setResult(s.code())
                            .setBlockNumber(s.blockNumber())
                            .build());
                    call.onCompleted();
                },
                responses);
    }
}
