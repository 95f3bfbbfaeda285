package dev.dossier.node.ordering;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.BlockSeal;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import dev.dossier.node.ledger.PendingTx;
import dev.dossier.node.ledger.WriteCheck;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Turns an ordered batch into the next block, the same on every node: each envelope is checked by the
 * {@link TxChecker} at the batch's cut time, the ledger adds duplicate and MVCC checks and commits the block with the
 * batch's Raft position as consenter metadata, signed by this node. The outcome depends only on the batch, its
 * position and the ledger, never on the node's clock or caches.
 */
final class BatchCommitter {
    private static final Logger LOG = Logger.getLogger(BatchCommitter.class.getName());
    /** Batches at least this large are checked on several threads (the checks are independent). */
    private static final int PARALLEL_FROM = 32;

    private final Ledger ledger;
    private final TxChecker checker;
    private final Signer signer;
    private final BlockListener listener;

    BatchCommitter(Ledger ledger, TxChecker checker, Signer signer, BlockListener listener) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    Ledger ledger() {
        return ledger;
    }

    /**
     * Commits the batch as the next block.
     *
     * @param expected the block a peer committed from the same entry, when replaying the peer's blocks; the commit is
     *     refused (nothing written) unless this node builds the same header, transactions filter and consenter
     *     metadata; null when applying a Raft entry
     * @throws LedgerException if the ledger fails or the block differs from {@code expected}
     */
    Block commit(OrderedBatch batch, RaftPosition position, Block expected) throws LedgerException {
        List<PendingTx> txs = check(batch.envelopes(), batch.cutAt());
        BlockSeal seal = BlockSeal.of(position.consenterMetadata(), unsigned -> {
            if (expected != null) {
                compare(expected, unsigned);
            }
            return List.of(BlockSignatures.sign(signer, unsigned));
        });
        Block block = ledger.commit(txs, seal);
        List<String> txIds = new ArrayList<>(txs.size());
        for (PendingTx tx : txs) {
            txIds.add(tx.txId());
        }
        listener.committed(block, txIds);
        return block;
    }

    private List<PendingTx> check(List<ByteString> envelopes, Instant at) {
        IntStream indexes = IntStream.range(0, envelopes.size());
        if (envelopes.size() >= PARALLEL_FROM) {
            indexes = indexes.parallel();
        }
        return indexes.mapToObj(i -> check(envelopes.get(i), at)).toList();
    }

    /**
     * Checks one envelope. The checker never throws for a bad envelope by its contract; should it throw all the same
     * (a bug that some content triggers, on every node alike), the transaction is marked invalid rather than stop the
     * state machine on every node. A failure of this node itself ({@link UncheckedIOException}, {@link
     * IllegalStateException}: its storage) still propagates: marking the transaction invalid on this node only would
     * make its ledger differ from the others'.
     */
    private PendingTx check(ByteString bytes, Instant at) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return invalid(Envelope.getDefaultInstance(), TxValidationCode.BAD_PAYLOAD);
        }
        try {
            return checker.check(envelope, at);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "the transaction checker failed on an envelope; marked invalid", e);
            return invalid(envelope, TxValidationCode.INVALID_OTHER_REASON);
        }
    }

    private static PendingTx invalid(Envelope envelope, TxValidationCode code) {
        return new PendingTx("", envelope, code, null, WriteCheck.UNCHECKED);
    }

    private static void compare(Block expected, Block built) throws LedgerException {
        long number = built.getHeader().getNumber();
        String problem = null;
        if (!expected.getHeader().equals(built.getHeader())) {
            problem = "header";
        } else if (!filter(expected).equals(filter(built))) {
            problem = "transactions filter";
        } else if (!BlockSeal.signaturesMetadata(expected)
                .getValue()
                .equals(BlockSeal.signaturesMetadata(built).getValue())) {
            problem = "consenter metadata";
        }
        if (problem != null) {
            throw new LedgerException("block " + number + " received from a peer differs from the block this node "
                    + "builds from the same transactions: " + problem + " differs");
        }
    }

    private static ByteString filter(Block block) {
        return block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
    }
}
