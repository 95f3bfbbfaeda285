package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class BlockCutterTest {
    private static PendingTx tx(String id) {
        return new PendingTx(
                id, Envelope.getDefaultInstance(), TxValidationCode.BAD_PAYLOAD, null, WriteCheck.UNCHECKED);
    }

    private static List<String> ids(List<PendingTx> batch) {
        return batch.stream().map(PendingTx::txId).toList();
    }

    @Test
    void transactionsArrivingWhileTheGateIsShutJoinTheBatchCutWhenItOpens() throws Exception {
        Semaphore slots = new Semaphore(0);
        BlockingQueue<List<String>> cut = new LinkedBlockingQueue<>();
        BlockCutter cutter = new BlockCutter(
                "test-cutter",
                new BlockLimits(100, 1 << 20, Duration.ZERO),
                16,
                slots::acquire,
                batch -> cut.add(ids(batch)));
        cutter.start();
        try {
            cutter.add(tx("a"));
            cutter.add(tx("b"));
            cutter.add(tx("c"));
            Thread.sleep(200); // the cutter holds "a" at the shut gate
            assertThat(cut).isEmpty();
            slots.release();
            // a zero timeout has long passed for "a": the batch is what is queued, cut at once
            assertThat(cut.poll(10, TimeUnit.SECONDS)).containsExactly("a", "b", "c");
            cutter.add(tx("d"));
            Thread.sleep(100);
            assertThat(cut).isEmpty(); // the gate is shut again: one batch per pass
            slots.release();
            assertThat(cut.poll(10, TimeUnit.SECONDS)).containsExactly("d");
        } finally {
            slots.release(10);
            cutter.close();
        }
    }

    @Test
    void theTimeoutRunsFromTheFirstTransactionsArrivalNotFromWhenTheSinkIsFree() throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        CountDownLatch secondAdded = new CountDownLatch(1);
        BlockingQueue<List<String>> cut = new LinkedBlockingQueue<>();
        long[] firstSinkReturned = new long[1];
        BlockCutter cutter = new BlockCutter("test-cutter", new BlockLimits(100, 1 << 20, timeout), 16, batch -> {
            cut.add(ids(batch));
            if (batch.get(0).txId().equals("a")) {
                // a slow sink: "b" arrives while it works, and waits longer than the timeout before the sink is free
                secondAdded.await();
                Thread.sleep(timeout.toMillis() + 500);
                firstSinkReturned[0] = System.nanoTime();
            }
        });
        cutter.start();
        try {
            cutter.add(tx("a"));
            assertThat(cut.poll(10, TimeUnit.SECONDS)).containsExactly("a");
            cutter.add(tx("b"));
            secondAdded.countDown();
            assertThat(cut.poll(20, TimeUnit.SECONDS)).containsExactly("b");
            long waitedAfterSink = System.nanoTime() - firstSinkReturned[0];
            // cut as soon as the sink was free: "b" had already waited its timeout in the queue
            assertThat(Duration.ofNanos(waitedAfterSink)).isLessThan(timeout.minusMillis(500));
        } finally {
            cutter.close();
        }
    }
}
