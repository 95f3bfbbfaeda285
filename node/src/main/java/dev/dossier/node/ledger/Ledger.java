package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's ledger: Fabric-format blocks, the versioned world state, key history and the transaction index, in one
 * RocksDB database (one column family per concern, layout in the package's {@code Encoding}).
 *
 * <p>{@link #commit} validates a batch of ordered transactions (duplicate tx ids, MVCC read versions, phantom reads,
 * as a Fabric peer does), builds the next block, chained by Fabric's header hash and carrying the validation codes
 * in its TRANSACTIONS_FILTER metadata, and writes block, state, history (pointers to the block and transaction that
 * wrote each key), index and height in one synced RocksDB
 * write batch: after a crash the ledger holds either the whole block or none of it, and once {@code commit} returns
 * the block is on disk and visible to every reader.
 *
 * <p>Thread safety: {@code commit} and {@code commitGenesis} are serialised; reads ({@link #get}, {@link #range},
 * {@link #history}, {@link #block}, {@link #transaction}, {@link #height}) may come from any number of threads at
 * any time and see only whole blocks. Read methods report storage failures and reads after {@link #close} with an
 * unchecked {@link IllegalStateException}.
 *
 * <p>{@link #append} is the other way blocks arrive: blocks another system ordered and validated (a Fabric peer's,
 * pulled by a follower), stored as they are once what they claim has been re-derived.
 *
 * <p>This class is longer than the 400 lines the project aims at, on purpose: the commit paths ({@code commitGenesis},
 * {@code commit}, {@code validateAndApply}, {@code append}, {@code write}) and the locking they run under stay in one file, so one
 * block can be followed from batch to fsync. The reads are in {@code LedgerReads}, the checks at open in
 * {@code ChainHead}, MVCC validation in {@code BlockValidator}.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(Path.of("data/ledger"))) {
 *     if (ledger.height() == 0) {
 *         ledger.commitGenesis(configEnvelope);
 *     }
 *     Block block = ledger.commit(
 *             List.of(new PendingTx(txId, envelope, TxValidationCode.VALID, rwset, writeCheck)));
 *     Optional<TxStatus> status = ledger.transaction(txId);
 * }
 * }</pre>
 */
public final class Ledger implements StateReader, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());
    private final Path directory;
    private final Store store;
    private final RocksDB db;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle state;
    private final ColumnFamilyHandle history;
    private final ColumnFamilyHandle txIndex;
    private final ColumnFamilyHandle meta;
    private final WriteOptions syncWrites;
    private final LedgerReads reads;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock commitLock = new ReentrantLock();
    private boolean closed; // guarded by lifecycle
    private volatile long height;
    private volatile byte[] lastHeaderHash;
    private volatile boolean followed;

    private Ledger(Path directory, Store store, long height, byte[] lastHeaderHash, boolean followed) {
        this.directory = directory;
        this.store = store;
        this.db = store.db;
        this.blocks = store.handle(Store.BLOCKS);
        this.state = store.handle(Store.STATE);
        this.history = store.handle(Store.HISTORY);
        this.txIndex = store.handle(Store.TX_INDEX);
        this.meta = store.handle(Store.META);
        this.syncWrites = new WriteOptions().setSync(true);
        this.height = height;
        this.lastHeaderHash = lastHeaderHash;
        this.followed = followed;
        this.reads = new LedgerReads(directory, store, this::read);
    }

    /**
     * Opens the ledger in {@code directory}, creating an empty one (height 0) if there is none.
     *
     * @throws LedgerException if the database cannot be opened (another process holds it, files are corrupt...), was
     *     written by an unknown format version, or its height and last block disagree
     * @throws NullPointerException if {@code directory} is null
     */
    public static Ledger open(Path directory) throws LedgerException {
        requireNonNull(directory, "directory");
        Store store = Store.open(directory, Store.Mode.READ_WRITE, Store.LEDGER_FAMILIES);
        try {
            ChainHead head = ChainHead.load(store, directory);
            boolean followed = store.db.get(store.handle(Store.META), Encoding.META_SOURCE) != null;
            return new Ledger(directory, store, head.height(), head.lastHeaderHash(), followed);
        } catch (RocksDBException e) {
            store.close();
            throw new LedgerException("cannot read the ledger metadata in " + directory + ": " + e.getMessage(), e);
        } catch (LedgerException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The column families of the ledger's RocksDB database, as {@link #storeProperty} names them. */
    public static final List<String> COLUMN_FAMILIES = Store.LEDGER_FAMILIES;

    /**
     * RocksDB's integer property of one of the ledger's column families, for metrics: {@code
     * rocksdb.estimate-num-keys}, {@code rocksdb.live-sst-files-size}, {@code rocksdb.estimate-pending-compaction-bytes}
     * and the others RocksDB documents (those of the whole database, such as {@code rocksdb.block-cache-usage}, read
     * the same through any family).
     *
     * @throws IllegalArgumentException if {@code family} is not one of {@link #COLUMN_FAMILIES}
     * @throws IllegalStateException if the ledger is closed or RocksDB has no such integer property
     */
    public long storeProperty(String family, String property) {
        return reads.property(family, property);
    }

    /**
     * Writes a consistent copy of the ledger into {@code target}, which must not exist, while the node goes on: a
     * RocksDB checkpoint (hard links to the table files where the file system allows, copies otherwise), taken between
     * two commits, so it holds whole blocks only and exactly the first {@code height} of them.
     *
     * @return the height of the copy
     * @throws LedgerException if the copy cannot be written
     */
    public long checkpoint(Path target) throws LedgerException {
        requireNonNull(target, "target");
        long[] copied = new long[1];
        underCommitLock(() -> {
            try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.toString());
            } catch (RocksDBException e) {
                throw new LedgerException(
                        "cannot copy the ledger in " + directory + " to " + target + ": " + e.getMessage(), e);
            }
            copied[0] = height;
            return null;
        });
        return copied[0];
    }

    /** @return the number of committed blocks; the next block's number */
    public long height() {
        return height;
    }

    /**
     * @return the committed block with that number, or empty if there is none yet
     * @throws IllegalArgumentException if {@code number} is negative
     * @throws IllegalStateException if the ledger is closed or the block cannot be read or decoded
     */
    public Optional<Block> block(long number) {
        return reads.block(number);
    }

    /**
     * @return where and how the transaction with that id was committed, or empty if no committed block holds it;
     *     for a transaction id that occurs more than once, the first occurrence
     * @throws NullPointerException if {@code txId} is null
     * @throws IllegalStateException if the ledger is closed or the index cannot be read
     */
    public Optional<TxStatus> transaction(String txId) {
        return reads.transaction(txId);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code namespace} is empty or contains U+0000
     * @throws IllegalStateException if the ledger is closed or the state cannot be read
     */
    @Override
    public Optional<VersionedValue> get(String namespace, String key) {
        return reads.get(namespace, key);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code namespace} is empty or contains U+0000
     * @throws IllegalStateException if the ledger is closed or the state cannot be read
     */
    @Override
    public Map<String, ByteString> metadata(String namespace, String key) {
        return reads.metadata(namespace, key);
    }

    /**
     * {@inheritDoc} Keys may contain U+0000 (composite keys); a range with {@code startKey >= endKey} is empty.
     *
     * @throws IllegalArgumentException if {@code namespace} is empty or contains U+0000, or {@code limit} is negative
     * @throws IllegalStateException if the ledger is closed or the state cannot be read
     */
    @Override
    public List<StateEntry> range(String namespace, String startKey, String endKey, int limit) {
        return reads.range(namespace, startKey, endKey, limit);
    }

    /**
     * {@inheritDoc} Each entry is read from the block that holds its transaction (the history index keeps only the
     * block and transaction, see {@code KeyHistory}): its timestamp is the transaction's channel header timestamp
     * ({@link java.time.Instant#EPOCH} for the initial state of a genesis block); a delete has an empty value.
     *
     * @throws IllegalArgumentException if {@code namespace} is empty or contains U+0000
     * @throws IllegalStateException if the ledger is closed or the history cannot be read
     */
    @Override
    public List<HistoryEntry> history(String namespace, String key) {
        return reads.history(namespace, key);
    }

    /**
     * Commits block 0: the channel's config envelope, its filter entry VALID, and the channel's initial world state
     * when the config holds one (see {@link Envelopes#INITIAL_STATE}). Its tx id (if not empty) is indexed.
     *
     * @return the committed block
     * @throws IllegalStateException if the ledger already has blocks or is closed
     * @throws IllegalArgumentException if the envelope's channel header does not decode, its type is not CONFIG, or its
     *     initial state does not decode
     * @throws LedgerException if the block cannot be written
     * @throws NullPointerException if {@code configEnvelope} is null
     */
    public Block commitGenesis(Envelope configEnvelope) throws LedgerException {
        requireNonNull(configEnvelope, "configEnvelope");
        ChannelHeader header;
        try {
            header = Envelopes.channelHeader(configEnvelope);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("config envelope: channel header does not decode", e);
        }
        if (header.getType() != HeaderType.CONFIG_VALUE) {
            throw new IllegalArgumentException("config envelope: channel header type is " + header.getType()
                    + ", not CONFIG (" + HeaderType.CONFIG_VALUE + ")");
        }
        return underCommitLock(() -> {
            if (height != 0) {
                throw new IllegalStateException("genesis block: ledger already has " + height + " blocks");
            }
            requireOwnOrdering();
            byte[] filter = {(byte) TxValidationCode.VALID_VALUE};
            try (WriteBatch batch = new WriteBatch()) {
                BlockValidator initial = new BlockValidator(db, state, 0);
                GenesisState.apply(configEnvelope, initial, batch, history);
                initial.writeUpdates(batch);
                if (!header.getTxId().isEmpty()) {
                    batch.put(
                            txIndex,
                            Encoding.utf8(header.getTxId()),
                            Encoding.txIndexValue(0, 0, TxValidationCode.VALID));
                }
                return write(batch, Blocks.build(0, new byte[0], List.of(configEnvelope.toByteString()), filter));
            } catch (RocksDBException e) {
                throw new LedgerException("commit of genesis block failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Validates {@code txs}, in order, against the committed state and builds, stores and fsyncs block number
     * {@link #height()} from them. Each transaction's final code is, in this order: its {@code precheck} code if
     * not VALID; DUPLICATE_TXID if its tx id is already in the index or occurs earlier in the block (the original
     * index entry is kept); BAD_RWSET if its read-write set is unusable; MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT
     * if what it read changed (see {@code BlockValidator}); else VALID, and its writes and deletes apply with version
     * (block, position in block). Only the namespaces in the read-write sets are touched. Block, state, history, tx
     * index and height are written in one synced batch.
     *
     * <p>After a {@code LedgerException} the in-memory view may no longer match the disk: close and reopen.
     *
     * @return the committed block, whose TRANSACTIONS_FILTER metadata holds the final codes
     * @throws IllegalArgumentException if {@code txs} is empty, or a VALID-precheck transaction's {@code txId} is
     *     not its envelope's channel header tx id
     * @throws IllegalStateException if the ledger has no genesis block yet or is closed
     * @throws LedgerException if the state cannot be read or the block cannot be written
     * @throws NullPointerException if {@code txs} or one of its elements is null
     */
    public Block commit(List<PendingTx> txs) throws LedgerException {
        return commit(txs, BlockSeal.UNSIGNED);
    }

    /**
     * As {@link #commit(List)}, and closes the block with {@code seal}: its SIGNATURES metadata entry carries the
     * seal's consenter metadata and the signatures the seal makes over the block as built. If the seal refuses the
     * block, nothing is written. A consensus layer keeps its position (for example the Raft log index the block was
     * ordered at) in the consenter metadata, so it is stored with the block in the same write.
     *
     * @throws LedgerException also if the seal refuses the block
     * @throws NullPointerException if {@code seal} is null
     */
    public Block commit(List<PendingTx> txs, BlockSeal seal) throws LedgerException {
        requireNonNull(seal, "seal");
        ByteString signaturesEntry = Metadata.newBuilder()
                .setValue(Blocks.signaturesValue(requireNonNull(seal.consenterMetadata(), "consenterMetadata")))
                .build()
                .toByteString();
        List<PendingTx> batchTxs = List.copyOf(requireNonNull(txs, "txs"));
        if (batchTxs.isEmpty()) {
            throw new IllegalArgumentException("txs is empty: a block holds at least one transaction");
        }
        List<String> headerTxIds = new ArrayList<>(batchTxs.size());
        for (int i = 0; i < batchTxs.size(); i++) {
            PendingTx tx = batchTxs.get(i);
            String headerTxId = Envelopes.txIdOrNull(tx.envelope());
            if (tx.precheck() == TxValidationCode.VALID && !tx.txId().equals(headerTxId)) {
                throw new IllegalArgumentException("tx " + i + " (" + tx.txId() + ") has precheck VALID but its "
                        + (headerTxId == null
                                ? "channel header does not decode"
                                : "channel header tx id is " + headerTxId));
            }
            headerTxIds.add(headerTxId == null || headerTxId.isEmpty() ? null : headerTxId);
        }
        return underCommitLock(() -> {
            long number = height;
            if (number == 0) {
                throw new IllegalStateException("commit: the ledger has no genesis block yet");
            }
            requireOwnOrdering();
            try (WriteBatch batch = new WriteBatch()) {
                byte[] filter = new byte[batchTxs.size()];
                List<ByteString> envelopes = new ArrayList<>(batchTxs.size());
                BlockValidator validator = new BlockValidator(db, state, number);
                Set<String> blockTxIds = new HashSet<>();
                for (int i = 0; i < batchTxs.size(); i++) {
                    PendingTx tx = batchTxs.get(i);
                    String txId = headerTxIds.get(i);
                    boolean duplicate =
                            txId != null && (blockTxIds.contains(txId) || db.get(txIndex, Encoding.utf8(txId)) != null);
                    TxValidationCode code = tx.precheck();
                    if (code == TxValidationCode.VALID && duplicate) {
                        code = TxValidationCode.DUPLICATE_TXID;
                    }
                    if (code == TxValidationCode.VALID) {
                        code = validateAndApply(validator, tx, i, number, batch);
                    }
                    if (txId != null && !duplicate) {
                        batch.put(txIndex, Encoding.utf8(txId), Encoding.txIndexValue(number, i, code));
                        blockTxIds.add(txId);
                    }
                    filter[i] = (byte) code.getNumber();
                    envelopes.add(tx.envelope().toByteString());
                }
                validator.writeUpdates(batch);
                Block unsigned = Blocks.build(number, lastHeaderHash, envelopes, filter, signaturesEntry);
                return write(batch, Blocks.withSignatures(unsigned, List.copyOf(seal.signatures(unsigned))));
            } catch (RocksDBException e) {
                throw new LedgerException("commit of block " + number + " failed: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new LedgerException(
                        "commit of block " + number + " failed: corrupt state entry: " + e.getMessage(), e);
            }
        });
    }

    private TxValidationCode validateAndApply(
            BlockValidator validator, PendingTx tx, int txNumber, long blockNumber, WriteBatch batch)
            throws RocksDBException {
        List<BlockValidator.NsRwSet> rwset;
        try {
            rwset = BlockValidator.parse(tx.readWriteSet());
        } catch (BlockValidator.BadRwSetException e) {
            return TxValidationCode.BAD_RWSET;
        }
        TxValidationCode code = validator.validate(rwset);
        if (code == TxValidationCode.VALID) {
            // after MVCC: a transaction that lost a race reads as the conflict it is, not as a policy failure
            Optional<String> violation = tx.writeCheck().violation(BlockValidator.keyWrites(rwset), validator);
            if (violation.isPresent()) {
                LOG.info(() -> "block " + blockNumber + " tx " + txNumber + " (" + tx.txId() + ") "
                        + TxValidationCode.ENDORSEMENT_POLICY_FAILURE + ": " + violation.get());
                return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
            }
            KeyHistory.record(validator.apply(rwset, txNumber), blockNumber, txNumber, history, batch);
        }
        return code;
    }

    /**
     * Appends a block another system ordered and validated (a Fabric peer's, pulled by a follower) exactly as it is,
     * once it has checked that the block is the next one of this ledger's chain (its number, its previous hash, its
     * data hash) and re-derived what the block's transactions filter claims (see {@code FollowedBlocks}): each
     * transaction marked VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT is replayed against the state, a VALID one
     * must still validate and pass {@code checks}' entry for it, and a repeated tx id must not be VALID. The VALID
     * transactions' writes, their history (with each transaction's own timestamp) and the tx index are written with
     * the block in one synced batch, as {@link #commit} writes them. The first block appended marks the ledger as a
     * followed channel's: it then takes no block of its own ordering, and its audit reads the blocks' metadata as
     * their producer wrote it.
     *
     * @param checks the commit-time rule of each transaction of the block, by position ({@link WriteCheck#UNCHECKED}
     *     where nothing is to be checked; only VALID endorser transactions' are used)
     * @return the block, as stored
     * @throws BlockRefusedException naming what is wrong; nothing is written
     * @throws IllegalArgumentException if {@code checks} does not have one entry per transaction
     * @throws IllegalStateException if the ledger holds blocks of its own ordering, or is closed
     * @throws LedgerException if the state cannot be read or the block cannot be written
     */
    public Block append(Block block, List<WriteCheck> checks) throws BlockRefusedException, LedgerException {
        requireNonNull(block, "block");
        List<WriteCheck> txChecks = List.copyOf(checks);
        if (txChecks.size() != block.getData().getDataCount()) {
            throw new IllegalArgumentException("checks has " + txChecks.size() + " entries for "
                    + block.getData().getDataCount() + " transactions");
        }
        long number = block.getHeader().getNumber();
        return underCommitLock(() -> {
            if (height > 0 && !followed) {
                throw new IllegalStateException("append: ledger in " + directory
                        + " holds blocks of its own ordering; a followed channel needs a ledger of its own");
            }
            checkChains(block, number);
            byte[] filter;
            try {
                filter = FollowedBlocks.filter(block);
            } catch (IllegalArgumentException e) {
                throw new BlockRefusedException(number, e.getMessage());
            }
            try (WriteBatch batch = new WriteBatch()) {
                FollowedBlocks.replay(
                        block, filter, txChecks, new FollowedBlocks.Target(db, state, history, txIndex), batch);
                batch.put(meta, Encoding.META_SOURCE, FollowedBlocks.SOURCE);
                Block stored = write(batch, block);
                followed = true;
                return stored;
            } catch (RocksDBException e) {
                throw new LedgerException("append of block " + number + " failed: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new LedgerException(
                        "append of block " + number + " failed: corrupt state entry: " + e.getMessage(), e);
            }
        });
    }

    /** @return whether the ledger holds another system's blocks, appended by {@link #append} */
    public boolean followed() {
        return followed;
    }

    private void checkChains(Block block, long number) throws BlockRefusedException {
        if (number != height) {
            throw new BlockRefusedException(number, "the ledger's next block is " + height);
        }
        byte[] previous = block.getHeader().getPreviousHash().toByteArray();
        byte[] expected = height == 0 ? new byte[0] : lastHeaderHash;
        if (!Arrays.equals(previous, expected)) {
            throw new BlockRefusedException(
                    number,
                    "broken hash chain: its previous hash is " + Encoding.hex(previous) + " but block " + (number - 1)
                            + " hashes to " + Encoding.hex(expected));
        }
        byte[] dataHash = BlockHashes.dataHash(block.getData());
        if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
            throw new BlockRefusedException(
                    number,
                    "data hash mismatch: the header says "
                            + Encoding.hex(block.getHeader().getDataHash().toByteArray()) + ", its data hashes to "
                            + Encoding.hex(dataHash));
        }
    }

    private void requireOwnOrdering() {
        if (followed) {
            throw new IllegalStateException(
                    "ledger in " + directory + " follows another system's channel: it takes appended blocks only");
        }
    }

    /** Adds the block and the new height to the batch, writes it synced, then publishes the new height. */
    private Block write(WriteBatch batch, Block block) throws RocksDBException {
        long number = block.getHeader().getNumber();
        byte[] hash = BlockHashes.headerHash(block.getHeader());
        batch.put(blocks, Encoding.blockKey(number), block.toByteArray());
        batch.put(
                meta,
                Encoding.META_HEIGHT,
                ByteBuffer.allocate(8).putLong(number + 1).array());
        batch.put(meta, Encoding.META_LAST_HASH, hash);
        db.write(syncWrites, batch);
        lastHeaderHash = hash;
        height = number + 1;
        return block;
    }

    /** Releases the database and its native resources; waits for reads and a commit in progress. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                syncWrites.close();
                store.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Ledger{" + directory + ", height " + height + "}";
    }

    // ---- plumbing

    /**
     * Writes what the write-ahead log holds to table files and waits (tests use it to put the blocks in table files).
     *
     * @throws LedgerException if the flush fails
     */
    void flush() throws LedgerException {
        try (org.rocksdb.FlushOptions wait = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            for (ColumnFamilyHandle family : List.of(blocks, state, history, txIndex, meta)) {
                db.flush(wait, family);
            }
        } catch (RocksDBException e) {
            throw new LedgerException("cannot flush the ledger in " + directory + ": " + e.getMessage(), e);
        }
    }

    private interface CommitOp<E extends Exception> {
        Block run() throws LedgerException, E;
    }

    private <T> T read(Supplier<String> what, LedgerReads.ReadOp<T> op) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(what.get() + ": ledger in " + directory + " is closed");
            }
            return op.run();
        } catch (RocksDBException e) {
            throw new IllegalStateException(what.get() + " failed in ledger " + directory + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // a stored value that does not decode
            throw new IllegalStateException(
                    what.get() + ": ledger in " + directory + " holds a corrupt entry: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private <E extends Exception> Block underCommitLock(CommitOp<E> op) throws LedgerException, E {
        commitLock.lock();
        try {
            lifecycle.readLock().lock();
            try {
                if (closed) {
                    throw new IllegalStateException("commit: ledger in " + directory + " is closed");
                }
                return op.run();
            } finally {
                lifecycle.readLock().unlock();
            }
        } finally {
            commitLock.unlock();
        }
    }
}
