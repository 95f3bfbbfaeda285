package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Offline audit of a stopped node's ledger: re-derives everything the ledger stores from its blocks and reports the
 * first inconsistency.
 *
 * <p>For each block 0..height-1, in order: its form is checked ({@link ChainCheck}: it is present, decodes,
 * re-encodes to the same bytes, carries its own number, its data hash is the hash of its data, its previous hash is
 * the header hash of the block before (empty for block 0), its metadata is what the ledger writes, and its
 * transactions filter has one known code per transaction). Block 0 must hold exactly one CONFIG transaction. For each transaction: the tx index entry of the
 * first occurrence of its id names this block, position and code; a repeated id is not VALID; the codes the ledger
 * itself assigns are re-derived by replaying the read-write sets (taken from the envelopes with
 * {@link Envelopes#readWriteSet}) against the state replayed so far — a VALID transaction must still validate, an
 * MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT one must fail the same way. Other codes come from checks made before
 * the ledger (signatures, policies) and are taken as they are. Then the replayed world state is compared with the
 * stored one, every key, value and version in both directions, and likewise the key history (its entries point at
 * the transactions that wrote each key) and the tx index ({@link ReplayComparison}).
 *
 * <p>Memory stays bounded whatever the ledger's size: blocks are read one at a time and the replayed state, history
 * and tx ids live in a scratch RocksDB database (in a temporary directory beside the ledger, deleted afterwards);
 * the final comparisons are merge joins of two sorted iterators.
 *
 * <pre>{@code
 * AuditReport report = LedgerAudit.audit(Path.of("data/ledger"));
 * if (!report.clean()) {
 *     System.err.println(report.problem()); // e.g. "block 3: data hash mismatch: stored … computed …"
 * }
 * }</pre>
 */
public final class LedgerAudit {
    private static final String TX_IDS = Store.SCRATCH_TX_IDS;

    private LedgerAudit() {}

    /**
     * Audits the ledger in {@code directory}, which must not be open by a running node.
     *
     * @return the report: clean, or naming the first bad block (if the problem can be pinned to one) and the problem
     * @throws LedgerException if the directory holds no ledger, the database cannot be opened, or the scratch
     *     database cannot be created
     * @throws NullPointerException if {@code directory} is null
     */
    public static AuditReport audit(Path directory) throws LedgerException {
        requireNonNull(directory, "directory");
        if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
            throw new LedgerException("no ledger database in " + directory);
        }
        try (Store stored = Store.open(directory, Store.Mode.READ_ONLY, Store.LEDGER_FAMILIES)) {
            Path scratchDirectory = scratchDirectory(directory);
            try {
                try (Store scratch = Store.open(
                                scratchDirectory, Store.Mode.SCRATCH, List.of(Store.STATE, Store.HISTORY, TX_IDS));
                        WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
                    return new Auditor(stored, scratch, noWal).run();
                } catch (RocksDBException e) {
                    throw new LedgerException("audit failed reading the ledger: " + e.getMessage(), e);
                }
            } finally {
                deleteRecursively(scratchDirectory);
            }
        }
    }

    private static Path scratchDirectory(Path directory) throws LedgerException {
        Path parent = directory.toAbsolutePath().getParent();
        try {
            if (parent != null && Files.isWritable(parent)) {
                return Files.createTempDirectory(parent, ".ledger-audit-");
            }
            return Files.createTempDirectory("ledger-audit-");
        } catch (IOException e) {
            throw new LedgerException("cannot create a scratch directory for the audit of " + directory, e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // best effort: a leftover scratch directory is harmless
        }
    }

    private static final class Auditor {
        private final Store stored;
        private final Store scratch;
        private final WriteOptions noWal;
        private final ChainCheck chain;
        private long blocksChecked;
        private long transactions;

        Auditor(Store stored, Store scratch, WriteOptions noWal) throws RocksDBException {
            this.stored = stored;
            this.scratch = scratch;
            this.noWal = noWal;
            this.chain = new ChainCheck(stored);
        }

        AuditReport run() throws LedgerException {
            try {
                long height = checkMeta();
                for (long number = 0; number < height; number++) {
                    blocksChecked++;
                    checkBlock(number);
                }
                checkNothingBeyond(height);
                checkLastHash(height);
                ReplayComparison.compareAll(stored, scratch);
                return new AuditReport(blocksChecked, transactions, OptionalLong.empty(), "");
            } catch (AuditProblem p) {
                return new AuditReport(blocksChecked, transactions, p.block(), p.getMessage());
            } catch (RocksDBException e) {
                throw new LedgerException("audit failed reading the ledger: " + e.getMessage(), e);
            }
        }

        private long checkMeta() throws RocksDBException, AuditProblem {
            ColumnFamilyHandle meta = stored.handle(Store.META);
            byte[] format = stored.db.get(meta, Encoding.META_FORMAT);
            if (Arrays.equals(format, new byte[] {Encoding.FORMAT_VALUED_HISTORY})
                    || Arrays.equals(format, new byte[] {Encoding.FORMAT_SEPARATE_METADATA})) {
                throw AuditProblem.outsideBlocks("ledger metadata: format " + format[0]
                        + ", an earlier layout; start the node on it once (it migrates the ledger to format "
                        + Encoding.FORMAT_VERSION + "), then audit it");
            }
            if (format == null || !Arrays.equals(format, new byte[] {Encoding.FORMAT_VERSION})) {
                throw AuditProblem.outsideBlocks(
                        "ledger metadata: unknown format " + (format == null ? "(none)" : Encoding.hex(format)));
            }
            byte[] height = stored.db.get(meta, Encoding.META_HEIGHT);
            if (height == null) {
                return 0;
            }
            if (height.length != 8 || ByteBuffer.wrap(height).getLong() < 0) {
                throw AuditProblem.outsideBlocks("ledger metadata: bad height " + Encoding.hex(height));
            }
            return ByteBuffer.wrap(height).getLong();
        }

        private void checkBlock(long number) throws RocksDBException, AuditProblem {
            ChainCheck.Checked checked = chain.next(number);
            if (chain.followed()) {
                replayFollowed(checked.block(), checked.filter());
            } else if (number == 0) {
                checkGenesis(checked.block(), checked.filter());
            } else {
                checkTransactions(number, checked.block(), checked.filter());
            }
        }

        private void checkGenesis(Block block, byte[] filter) throws RocksDBException, AuditProblem {
            transactions++;
            if (block.getData().getDataCount() != 1) {
                throw AuditProblem.inBlock(
                        0, "genesis block holds " + block.getData().getDataCount() + " transactions");
            }
            if (filter[0] != TxValidationCode.VALID_VALUE) {
                throw AuditProblem.inBlock(0, "genesis transaction is not marked VALID");
            }
            ChannelHeader header;
            try {
                header = Envelopes.channelHeader(
                        Envelope.parseFrom(block.getData().getData(0)));
            } catch (InvalidProtocolBufferException e) {
                throw AuditProblem.inBlock(0, "genesis envelope does not decode");
            }
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw AuditProblem.inBlock(0, "genesis transaction is of type " + header.getType() + ", not CONFIG");
            }
            try (WriteBatch batch = new WriteBatch()) {
                BlockValidator initial = newValidator(0);
                GenesisState.apply(
                        Envelope.parseFrom(block.getData().getData(0)), initial, batch, scratch.handle(Store.HISTORY));
                initial.writeUpdates(batch);
                scratch.db.write(noWal, batch);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw AuditProblem.inBlock(0, "genesis initial state is unusable: " + e.getMessage());
            }
            if (!header.getTxId().isEmpty()) {
                checkIndexEntry(0, 0, header.getTxId(), TxValidationCode.VALID);
                scratch.db.put(
                        scratch.handle(TX_IDS),
                        noWal,
                        Encoding.utf8(header.getTxId()),
                        Encoding.txIndexValue(0, 0, TxValidationCode.VALID));
            }
        }

        private void checkTransactions(long number, Block block, byte[] filter) throws RocksDBException, AuditProblem {
            BlockValidator validator = newValidator(number);
            Set<String> blockTxIds = new HashSet<>();
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < filter.length; i++) {
                    transactions++;
                    TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xff);
                    Envelope envelope = null;
                    String txId = null;
                    try {
                        envelope = Envelope.parseFrom(block.getData().getData(i));
                        txId = Envelopes.channelHeader(envelope).getTxId();
                    } catch (InvalidProtocolBufferException e) {
                        // neither indexed nor replayable; its code must not be VALID (checked below)
                    }
                    String label = "tx " + i + (txId == null || txId.isEmpty() ? "" : " (" + txId + ")");
                    boolean indexed = txId != null && !txId.isEmpty();
                    boolean seen = indexed
                            && (blockTxIds.contains(txId)
                                    || scratch.db.get(scratch.handle(TX_IDS), Encoding.utf8(txId)) != null);
                    if (indexed && !seen) {
                        checkIndexEntry(number, i, txId, code);
                        blockTxIds.add(txId);
                        batch.put(scratch.handle(TX_IDS), Encoding.utf8(txId), Encoding.txIndexValue(number, i, code));
                    }
                    if (seen && code == TxValidationCode.VALID) {
                        throw AuditProblem.inBlock(number, label + ": repeats an earlier tx id but is marked VALID");
                    }
                    if (!isStateCode(code) || seen) {
                        continue;
                    }
                    if (envelope == null || txId == null) {
                        throw AuditProblem.inBlock(
                                number, label + ": marked " + code + " but its envelope does not decode");
                    }
                    replay(number, i, label, envelope, code, validator, batch);
                }
                validator.writeUpdates(batch);
                scratch.db.write(noWal, batch);
            }
        }

        /**
         * A followed channel's block is replayed as {@link Ledger#append} replayed it, into the scratch state: what its
         * filter claims must hold again (endorsements were checked against the policy when it was appended).
         */
        private void replayFollowed(Block block, byte[] filter) throws RocksDBException, AuditProblem {
            transactions += filter.length;
            try (WriteBatch batch = new WriteBatch()) {
                FollowedBlocks.replay(
                        block,
                        filter,
                        java.util.Collections.nCopies(filter.length, WriteCheck.UNCHECKED),
                        new FollowedBlocks.Target(
                                scratch.db,
                                scratch.handle(Store.STATE),
                                scratch.handle(Store.HISTORY),
                                scratch.handle(TX_IDS)),
                        batch);
                scratch.db.write(noWal, batch);
            } catch (BlockRefusedException e) {
                throw AuditProblem.inBlock(block.getHeader().getNumber(), e.reason());
            }
        }

        private BlockValidator newValidator(long number) {
            return new BlockValidator(scratch.db, scratch.handle(Store.STATE), number);
        }

        private static boolean isStateCode(TxValidationCode code) {
            return FollowedBlocks.isStateCode(code);
        }

        private void replay(
                long number,
                int txNumber,
                String label,
                Envelope envelope,
                TxValidationCode code,
                BlockValidator validator,
                WriteBatch batch)
                throws RocksDBException, AuditProblem {
            try {
                FollowedBlocks.replayTransaction(
                        number,
                        txNumber,
                        label,
                        envelope,
                        code,
                        WriteCheck.UNCHECKED,
                        validator,
                        scratch.handle(Store.HISTORY),
                        batch);
            } catch (BlockRefusedException e) {
                throw AuditProblem.inBlock(number, e.reason());
            }
        }

        private void checkIndexEntry(long number, int txNumber, String txId, TxValidationCode code)
                throws RocksDBException, AuditProblem {
            byte[] entry = stored.db.get(stored.handle(Store.TX_INDEX), Encoding.utf8(txId));
            String label = "tx " + txNumber + " (" + txId + ")";
            if (entry == null) {
                throw AuditProblem.inBlock(number, label + ": missing from the tx index");
            }
            TxStatus status;
            try {
                status = Encoding.decodeTxIndexValue(entry);
            } catch (IllegalArgumentException e) {
                throw AuditProblem.inBlock(number, label + ": tx index entry does not decode: " + e.getMessage());
            }
            TxStatus expected = new TxStatus(number, txNumber, code);
            if (!status.equals(expected)) {
                throw AuditProblem.inBlock(
                        number,
                        label + ": tx index says block " + status.blockNumber() + " tx "
                                + status.txNumber() + " " + status.code() + ", the block says block " + number + " tx "
                                + txNumber + " " + code);
            }
        }

        private void checkNothingBeyond(long height) throws AuditProblem {
            try (RocksIterator it = stored.db.newIterator(stored.handle(Store.BLOCKS))) {
                it.seekToLast();
                if (it.isValid()) {
                    byte[] key = it.key();
                    if (key.length != 8) {
                        throw AuditProblem.outsideBlocks("blocks column holds a malformed key " + Encoding.hex(key));
                    }
                    long last = Encoding.blockNumber(key);
                    if (last < 0 || last >= height) {
                        throw AuditProblem.inBlock(last, "stored beyond the ledger height " + height);
                    }
                }
            }
        }

        private void checkLastHash(long height) throws RocksDBException, AuditProblem {
            byte[] lastHash = stored.db.get(stored.handle(Store.META), Encoding.META_LAST_HASH);
            byte[] expected = height == 0 ? null : chain.lastHeaderHash();
            if (!Arrays.equals(lastHash, expected)) {
                throw AuditProblem.outsideBlocks("ledger metadata: last header hash "
                        + (lastHash == null ? "(none)" : Encoding.hex(lastHash)) + ", the last block hashes to "
                        + (expected == null ? "(no block)" : Encoding.hex(expected)));
            }
        }
    }
}
