package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.TxStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose ordering stopped (its ledger could not write a block: a full disk) must not leave callers waiting for a
 * commit status for ever: they are failed, and the gateway answers them UNAVAILABLE.
 */
class CommitNotifierTest {
    @TempDir
    Path dir;

    @Test
    void failWaiters_failsEveryCallerWaitingForACommit() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            CommitNotifier notifier = new CommitNotifier(ledger);
            CompletableFuture<TxStatus> first = notifier.await("tx1");
            CompletableFuture<TxStatus> second = notifier.await("tx2");
            assertThat(first).isNotDone();

            notifier.failWaiters(new IllegalStateException("ordering stopped on this node"));

            assertThat(first).isCompletedExceptionally();
            assertThat(second).isCompletedExceptionally();
            // a caller that comes later waits again; the gateway checks the orderer before it waits
            assertThat(notifier.await("tx1")).isNotDone();
        }
    }

    @Test
    void droppedTransaction_failsItsWaiters_andACallerWhoAsksLater_untilItIsSubmittedAgain() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            CommitNotifier notifier = new CommitNotifier(ledger);
            assertThat(notifier.reserve("tx1")).isTrue();
            assertThat(notifier.reserve("tx2")).isTrue();
            CompletableFuture<TxStatus> waiting = notifier.await("tx1");
            CompletableFuture<TxStatus> other = notifier.await("tx2");

            notifier.dropped(List.of("tx1"));

            assertThat(waiting).isCompletedExceptionally();
            assertThatThrownBy(waiting::join).hasMessageContaining("was not ordered");
            assertThat(other).isNotDone(); // not in the dropped batch
            assertThat(notifier.await("tx1")).isCompletedExceptionally(); // asked after the drop
            assertThat(notifier.reserve("tx1")).isTrue(); // submitted again: it waits for its commit again
            assertThat(notifier.await("tx1")).isNotDone();
        }
    }

    @Test
    void droppedIds_areRememberedUpToABound() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            CommitNotifier notifier = new CommitNotifier(ledger);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= CommitNotifier.DROPPED_REMEMBERED; i++) {
                ids.add("tx" + i);
            }
            notifier.dropped(ids);

            assertThat(notifier.await("tx0")).isNotDone(); // the oldest is forgotten
            assertThat(notifier.await("tx1")).isCompletedExceptionally();
        }
    }
}
