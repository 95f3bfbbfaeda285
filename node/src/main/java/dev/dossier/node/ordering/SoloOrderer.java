package dev.dossier.node.ordering;

import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.BlockSeal;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.PendingTx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Single-node ordering: an in-process block cutter. Transactions are queued in arrival order; one thread cuts them into
 * blocks by {@link BlockLimits} and commits each block to the ledger, which validates MVCC and fsyncs before the
 * listener hears of it. While a block is being written the next one fills up, so commits are grouped under load. With
 * a signer, each block carries the node's signature in its SIGNATURES metadata ({@link BlockSignatures}). Each
 * transaction, checked by the gateway when it was submitted, can be checked again as its block is committed (the
 * identities of the consortium in force then), as a Raft node checks every ordered transaction at apply time.
 *
 * <p>A ledger failure (for example a full disk) is fatal to ordering: the orderer stops, refuses new transactions
 * with {@link IllegalStateException}, and keeps what was committed; a restart resumes from the last committed block.
 */
public final class SoloOrderer implements Orderer {
    private final Ledger ledger;
    private final BlockListener listener;
    private final BlockSeal seal;
    private final BlockCutter cutter;
    private final UnaryOperator<PendingTx> atCommit;

    /** An orderer whose blocks are not signed. */
    public SoloOrderer(Ledger ledger, BlockLimits limits, BlockListener listener, int queueCapacity) {
        this(ledger, limits, listener, queueCapacity, null);
    }

    /** @param signer signs every block, or null for unsigned blocks */
    public SoloOrderer(Ledger ledger, BlockLimits limits, BlockListener listener, int queueCapacity, Signer signer) {
        this(ledger, limits, listener, queueCapacity, signer, UnaryOperator.identity());
    }

    /**
     * @param signer signs every block, or null for unsigned blocks
     * @param atCommit checks each transaction again as its block is committed (the identities of the consortium in
     *     force then), returning it unchanged or invalid
     */
    public SoloOrderer(
            Ledger ledger,
            BlockLimits limits,
            BlockListener listener,
            int queueCapacity,
            Signer signer,
            UnaryOperator<PendingTx> atCommit) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.atCommit = Objects.requireNonNull(atCommit, "atCommit");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.seal = signer == null
                ? BlockSeal.UNSIGNED
                : BlockSeal.of(
                        com.google.protobuf.ByteString.EMPTY, block -> List.of(BlockSignatures.sign(signer, block)));
        this.cutter = new BlockCutter("block-cutter", limits, queueCapacity, this::commit);
    }

    public void start() {
        cutter.start();
    }

    @Override
    public void order(PendingTx tx) throws InterruptedException {
        cutter.add(tx);
    }

    @Override
    public boolean failed() {
        return cutter.failed();
    }

    @Override
    public boolean healthy() {
        return cutter.healthy();
    }

    private void commit(List<PendingTx> queued) throws LedgerException {
        // after the previous block's consortium change, before this block's checks
        List<PendingTx> batch = queued.stream().map(atCommit).toList();
        Block block = ledger.commit(batch, seal);
        List<String> txIds = new ArrayList<>(batch.size());
        for (PendingTx tx : batch) {
            txIds.add(tx.txId());
        }
        listener.committed(block, txIds);
    }

    @Override
    public int queuedTransactions() {
        return cutter.queued();
    }

    /** Commits what is already queued, then stops the cutter thread. */
    @Override
    public void close() throws InterruptedException {
        cutter.close();
    }
}
