package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.TxStatus;
import java.nio.file.Path;
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
}
