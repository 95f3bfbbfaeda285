package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
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
 * <p>For each block 0..height-1, in order: it is present, decodes, re-encodes to the same bytes, carries its own
 * number, its data hash is the hash of its data, its previous hash is the header hash of the block before (empty
 * for block 0), its metadata is what the ledger writes, and its transactions filter has one known code per
 * transaction. Block 0 must hold exactly one CONFIG transaction. For each transaction: the tx index entry of the
 * first occurrence of its id names this block, position and code; a repeated id is not VALID; the codes the ledger
 * itself assigns are re-derived by replaying the read-write sets (taken from the envelopes with
 * {@link Envelopes#readWriteSet}) against the state replayed so far — a VALID transaction must still validate, an
 * MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT one must fail the same way. Other codes come from checks made before
 * the ledger (signatures, policies) and are taken as they are. Then the replayed world state is compared with the
 * stored one, every key, value and version in both directions, and likewise the key history (except timestamps,
 * which blocks do not record) and the tx index.
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
                                scratchDirectory,
                                Store.Mode.SCRATCH,
                                List.of(Store.STATE, Store.KEY_METADATA, Store.HISTORY, TX_IDS));
                        WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
                    return new Auditor(stored, scratch, noWal).run();
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

    /** The first problem found; ends the audit. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final OptionalLong block;

        Problem(OptionalLong block, String message) {
            super(message, null, false, false);
            this.block = block;
        }

        static Problem inBlock(long block, String message) {
            return new Problem(OptionalLong.of(block), "block " + block + ": " + message);
        }

        static Problem outsideBlocks(String message) {
            return new Problem(OptionalLong.empty(), message);
        }
    }

    private static final class Auditor {
        private final Store stored;
        private final Store scratch;
        private final WriteOptions noWal;
        private long blocksChecked;
        private long transactions;
        private byte[] previousHeaderHash = new byte[0];

        Auditor(Store stored, Store scratch, WriteOptions noWal) {
            this.stored = stored;
            this.scratch = scratch;
            this.noWal = noWal;
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
                compare(
                        "state",
                        Store.STATE,
                        Store.STATE,
                        Auditor::sameState,
                        Encoding::displayStateKey,
                        Auditor::describeState);
                compare(
                        "key metadata",
                        Store.KEY_METADATA,
                        Store.KEY_METADATA,
                        Arrays::equals,
                        Encoding::displayStateKey,
                        Auditor::preview);
                compare(
                        "history",
                        Store.HISTORY,
                        Store.HISTORY,
                        Auditor::sameHistory,
                        Encoding::describeHistoryKey,
                        Auditor::describeHistory);
                compare(
                        "tx index",
                        Store.TX_INDEX,
                        TX_IDS,
                        Arrays::equals,
                        k -> "tx " + new String(k, StandardCharsets.UTF_8),
                        Auditor::describeTxIndex);
                return new AuditReport(blocksChecked, transactions, OptionalLong.empty(), "");
            } catch (Problem p) {
                return new AuditReport(blocksChecked, transactions, p.block, p.getMessage());
            } catch (RocksDBException e) {
                throw new LedgerException("audit failed reading the ledger: " + e.getMessage(), e);
            }
        }

        private long checkMeta() throws RocksDBException, Problem {
            ColumnFamilyHandle meta = stored.handle(Store.META);
            byte[] format = stored.db.get(meta, Encoding.META_FORMAT);
            if (format == null || !Arrays.equals(format, new byte[] {Encoding.FORMAT_VERSION})) {
                throw Problem.outsideBlocks(
                        "ledger metadata: unknown format " + (format == null ? "(none)" : Encoding.hex(format)));
            }
            byte[] height = stored.db.get(meta, Encoding.META_HEIGHT);
            if (height == null) {
                return 0;
            }
            if (height.length != 8 || ByteBuffer.wrap(height).getLong() < 0) {
                throw Problem.outsideBlocks("ledger metadata: bad height " + Encoding.hex(height));
            }
            return ByteBuffer.wrap(height).getLong();
        }

        private void checkBlock(long number) throws RocksDBException, Problem {
            byte[] bytes;
            try {
                bytes = stored.db.get(stored.handle(Store.BLOCKS), Encoding.blockKey(number));
            } catch (RocksDBException e) {
                throw Problem.inBlock(number, "cannot be read: " + e.getMessage());
            }
            if (bytes == null) {
                throw Problem.inBlock(number, "missing");
            }
            Block block;
            try {
                block = Block.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw Problem.inBlock(number, "does not decode: " + e.getMessage());
            }
            if (!Arrays.equals(block.toByteArray(), bytes)) {
                throw Problem.inBlock(number, "stored bytes are not the block's encoding (altered after writing)");
            }
            if (block.getHeader().getNumber() != number) {
                throw Problem.inBlock(
                        number,
                        "header number is "
                                + Long.toUnsignedString(block.getHeader().getNumber()));
            }
            byte[] dataHash = BlockHashes.dataHash(block.getData());
            if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
                throw Problem.inBlock(
                        number,
                        "data hash mismatch: stored "
                                + Encoding.hex(block.getHeader().getDataHash().toByteArray()) + " computed "
                                + Encoding.hex(dataHash));
            }
            byte[] previousHash = block.getHeader().getPreviousHash().toByteArray();
            if (!Arrays.equals(previousHash, previousHeaderHash)) {
                throw Problem.inBlock(
                        number,
                        "previous hash mismatch: stored " + Encoding.hex(previousHash)
                                + (number == 0
                                        ? ", expected empty"
                                        : " but block " + (number - 1) + " hashes to "
                                                + Encoding.hex(previousHeaderHash)));
            }
            byte[] filter = checkMetadata(number, block);
            if (number == 0) {
                checkGenesis(block, filter);
            } else {
                checkTransactions(number, block, filter);
            }
            previousHeaderHash = BlockHashes.headerHash(block.getHeader());
        }

        private static byte[] checkMetadata(long number, Block block) throws Problem {
            List<ByteString> metadata = block.getMetadata().getMetadataList();
            if (metadata.size() != Blocks.METADATA_ENTRIES) {
                throw Problem.inBlock(
                        number, "has " + metadata.size() + " metadata entries, expected " + Blocks.METADATA_ENTRIES);
            }
            checkSignaturesEntry(number, block);
            Map<BlockMetadataIndex, ByteString> expected = Map.of(
                    BlockMetadataIndex.LAST_CONFIG, Blocks.LAST_CONFIG_METADATA,
                    BlockMetadataIndex.ORDERER, ByteString.EMPTY,
                    BlockMetadataIndex.COMMIT_HASH, ByteString.EMPTY);
            for (Map.Entry<BlockMetadataIndex, ByteString> entry : expected.entrySet()) {
                if (!metadata.get(entry.getKey().getNumber()).equals(entry.getValue())) {
                    throw Problem.inBlock(number, entry.getKey() + " metadata is not what the ledger writes");
                }
            }
            byte[] filter =
                    metadata.get(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray();
            int count = block.getData().getDataCount();
            if (filter.length != count) {
                throw Problem.inBlock(
                        number, "transactions filter has " + filter.length + " entries for " + count + " transactions");
            }
            if (count == 0) {
                throw Problem.inBlock(number, "holds no transactions");
            }
            for (int i = 0; i < filter.length; i++) {
                TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xff);
                if (code == null) {
                    throw Problem.inBlock(number, "tx " + i + ": unknown validation code " + (filter[i] & 0xff));
                }
            }
            return filter;
        }

        /**
         * The SIGNATURES entry: exactly what the ledger writes for the genesis block; for later blocks an
         * {@code OrdererBlockMetadata} naming config block 0, with any consenter metadata and signatures (whose
         * signers only a reader that knows the consortium can check).
         */
        private static void checkSignaturesEntry(long number, Block block) throws Problem {
            ByteString entry = block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE);
            if (number == 0) {
                if (!entry.equals(Blocks.SIGNATURES_METADATA)) {
                    throw Problem.inBlock(number, "SIGNATURES metadata is not what the ledger writes");
                }
                return;
            }
            try {
                OrdererBlockMetadata value =
                        OrdererBlockMetadata.parseFrom(Metadata.parseFrom(entry).getValue());
                if (value.getLastConfig().getIndex() != 0) {
                    throw Problem.inBlock(
                            number,
                            "SIGNATURES metadata names config block "
                                    + value.getLastConfig().getIndex() + ", but block 0 is the only config block");
                }
            } catch (InvalidProtocolBufferException e) {
                throw Problem.inBlock(number, "SIGNATURES metadata does not decode");
            }
        }

        private void checkGenesis(Block block, byte[] filter) throws RocksDBException, Problem {
            transactions++;
            if (block.getData().getDataCount() != 1) {
                throw Problem.inBlock(
                        0, "genesis block holds " + block.getData().getDataCount() + " transactions");
            }
            if (filter[0] != TxValidationCode.VALID_VALUE) {
                throw Problem.inBlock(0, "genesis transaction is not marked VALID");
            }
            ChannelHeader header;
            try {
                header = Envelopes.channelHeader(
                        Envelope.parseFrom(block.getData().getData(0)));
            } catch (InvalidProtocolBufferException e) {
                throw Problem.inBlock(0, "genesis envelope does not decode");
            }
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw Problem.inBlock(0, "genesis transaction is of type " + header.getType() + ", not CONFIG");
            }
            try (WriteBatch batch = new WriteBatch()) {
                BlockValidator initial = newValidator(0);
                GenesisState.apply(
                        Envelope.parseFrom(block.getData().getData(0)),
                        header.getTxId(),
                        initial,
                        batch,
                        scratch.handle(Store.HISTORY));
                initial.writeUpdates(batch);
                scratch.db.write(noWal, batch);
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw Problem.inBlock(0, "genesis initial state is unusable: " + e.getMessage());
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

        private void checkTransactions(long number, Block block, byte[] filter) throws RocksDBException, Problem {
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
                        throw Problem.inBlock(number, label + ": repeats an earlier tx id but is marked VALID");
                    }
                    if (!isStateCode(code) || seen) {
                        continue;
                    }
                    if (envelope == null || txId == null) {
                        throw Problem.inBlock(number, label + ": marked " + code + " but its envelope does not decode");
                    }
                    replay(number, i, label, txId, envelope, code, validator, batch);
                }
                validator.writeUpdates(batch);
                scratch.db.write(noWal, batch);
            }
        }

        private BlockValidator newValidator(long number) {
            return new BlockValidator(
                    scratch.db, scratch.handle(Store.STATE), scratch.handle(Store.KEY_METADATA), number);
        }

        private static boolean isStateCode(TxValidationCode code) {
            return code == TxValidationCode.VALID
                    || code == TxValidationCode.MVCC_READ_CONFLICT
                    || code == TxValidationCode.PHANTOM_READ_CONFLICT;
        }

        private void replay(
                long number,
                int txNumber,
                String label,
                String txId,
                Envelope envelope,
                TxValidationCode code,
                BlockValidator validator,
                WriteBatch batch)
                throws RocksDBException, Problem {
            List<BlockValidator.NsRwSet> rwset;
            try {
                TxReadWriteSet set = Envelopes.readWriteSet(envelope);
                rwset = BlockValidator.parse(set);
            } catch (InvalidProtocolBufferException | BlockValidator.BadRwSetException e) {
                throw Problem.inBlock(
                        number, label + ": marked " + code + " but its read-write set is unusable: " + e.getMessage());
            }
            TxValidationCode recomputed = validator.validate(rwset);
            if (recomputed != code) {
                throw Problem.inBlock(number, label + ": marked " + code + " but re-validation gives " + recomputed);
            }
            if (code == TxValidationCode.VALID) {
                for (BlockValidator.Write write : validator.apply(rwset, txNumber)) {
                    byte[] key = Encoding.historyKey(
                            Encoding.historyPrefix(write.namespace(), write.key()), number, txNumber);
                    batch.put(
                            scratch.handle(Store.HISTORY),
                            key,
                            Encoding.historyValue(txId, Instant.EPOCH, write.delete(), write.value()));
                }
            }
        }

        private void checkIndexEntry(long number, int txNumber, String txId, TxValidationCode code)
                throws RocksDBException, Problem {
            byte[] entry = stored.db.get(stored.handle(Store.TX_INDEX), Encoding.utf8(txId));
            String label = "tx " + txNumber + " (" + txId + ")";
            if (entry == null) {
                throw Problem.inBlock(number, label + ": missing from the tx index");
            }
            TxStatus status;
            try {
                status = Encoding.decodeTxIndexValue(entry);
            } catch (IllegalArgumentException e) {
                throw Problem.inBlock(number, label + ": tx index entry does not decode: " + e.getMessage());
            }
            TxStatus expected = new TxStatus(number, txNumber, code);
            if (!status.equals(expected)) {
                throw Problem.inBlock(
                        number,
                        label + ": tx index says block " + status.blockNumber() + " tx "
                                + status.txNumber() + " " + status.code() + ", the block says block " + number + " tx "
                                + txNumber + " " + code);
            }
        }

        private void checkNothingBeyond(long height) throws Problem {
            try (RocksIterator it = stored.db.newIterator(stored.handle(Store.BLOCKS))) {
                it.seekToLast();
                if (it.isValid()) {
                    byte[] key = it.key();
                    if (key.length != 8) {
                        throw Problem.outsideBlocks("blocks column holds a malformed key " + Encoding.hex(key));
                    }
                    long last = Encoding.blockNumber(key);
                    if (last < 0 || last >= height) {
                        throw Problem.inBlock(last, "stored beyond the ledger height " + height);
                    }
                }
            }
        }

        private void checkLastHash(long height) throws RocksDBException, Problem {
            byte[] lastHash = stored.db.get(stored.handle(Store.META), Encoding.META_LAST_HASH);
            byte[] expected = height == 0 ? null : previousHeaderHash;
            if (!Arrays.equals(lastHash, expected)) {
                throw Problem.outsideBlocks("ledger metadata: last header hash "
                        + (lastHash == null ? "(none)" : Encoding.hex(lastHash)) + ", the last block hashes to "
                        + (expected == null ? "(no block)" : Encoding.hex(expected)));
            }
        }

        /** A merge join of the stored column family and the replayed one; both are sorted bytewise. */
        private void compare(
                String what,
                String storedFamily,
                String scratchFamily,
                ValueMatch match,
                Function<byte[], String> describeKey,
                Function<byte[], String> describeValue)
                throws Problem {
            try (RocksIterator s = stored.db.newIterator(stored.handle(storedFamily));
                    RocksIterator r = scratch.db.newIterator(scratch.handle(scratchFamily))) {
                s.seekToFirst();
                r.seekToFirst();
                while (s.isValid() || r.isValid()) {
                    int order = !s.isValid() ? 1 : !r.isValid() ? -1 : Encoding.BYTEWISE.compare(s.key(), r.key());
                    if (order < 0) {
                        throw Problem.outsideBlocks(what + " has " + describeKey.apply(s.key()) + " ("
                                + describeValue.apply(s.value()) + ") that no committed transaction wrote");
                    }
                    if (order > 0) {
                        throw Problem.outsideBlocks(what + " is missing " + describeKey.apply(r.key()) + " ("
                                + describeValue.apply(r.value()) + ")");
                    }
                    if (!match.test(s.value(), r.value())) {
                        throw Problem.outsideBlocks(what + " of " + describeKey.apply(s.key()) + " differs: stored "
                                + describeValue.apply(s.value()) + ", replayed " + describeValue.apply(r.value()));
                    }
                    s.next();
                    r.next();
                }
            }
        }

        private interface ValueMatch {
            boolean test(byte[] stored, byte[] replayed);
        }

        private static boolean sameState(byte[] stored, byte[] replayed) {
            return Arrays.equals(stored, replayed);
        }

        private static boolean sameHistory(byte[] stored, byte[] replayed) {
            try {
                HistoryEntry s = Encoding.decodeHistoryValue(stored);
                HistoryEntry r = Encoding.decodeHistoryValue(replayed);
                return s.txId().equals(r.txId()) && s.delete() == r.delete() && Arrays.equals(s.value(), r.value());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static String describeState(byte[] value) {
            try {
                VersionedValue v = Encoding.decodeStateValue(value);
                return "version " + v.blockNumber() + ":" + v.txNumber() + ", value " + preview(v.value());
            } catch (IllegalArgumentException e) {
                return "undecodable " + preview(value);
            }
        }

        private static String describeHistory(byte[] value) {
            try {
                HistoryEntry h = Encoding.decodeHistoryValue(value);
                return "tx " + h.txId() + (h.delete() ? ", delete" : ", value " + preview(h.value()));
            } catch (IllegalArgumentException e) {
                return "undecodable " + preview(value);
            }
        }

        private static String describeTxIndex(byte[] value) {
            try {
                TxStatus t = Encoding.decodeTxIndexValue(value);
                return "block " + t.blockNumber() + " tx " + t.txNumber() + " " + t.code();
            } catch (IllegalArgumentException e) {
                return "undecodable " + preview(value);
            }
        }

        private static String preview(byte[] value) {
            return value.length <= 32
                    ? "0x" + Encoding.hex(value)
                    : "0x" + Encoding.hex(Arrays.copyOf(value, 32)) + "… (" + value.length + " bytes)";
        }
    }
}
