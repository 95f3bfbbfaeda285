package dev.dossier.node.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.hyperledger.fabric.protos.common.Block;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Where a ledger's chain ends, as {@link Ledger#open} finds it: the height and the last block's header hash that
 * the ledger's metadata records, checked against the last blocks before the ledger is used.
 *
 * @param height the number of committed blocks
 * @param lastHeaderHash the header hash of block {@code height - 1}; empty when there is no block
 */
record ChainHead(long height, byte[] lastHeaderHash) {
    /** How many of the last blocks {@link #load} checks: their hash chain, data hashes and storage checksums. */
    static final int CHECKED_AT_OPEN = 64;

    /**
     * Reads the head of the ledger in {@code store}; a database without ledger metadata gets the format version
     * (synced) and is an empty ledger; a ledger of format 2 or 3 is migrated to the current format first ({@link
     * HistoryMigration}, {@link MetadataMigration}).
     *
     * @throws LedgerException if the ledger was written by an unknown format version, or its last blocks are
     *     missing, damaged or disagree with the recorded head
     * @throws RocksDBException if the metadata cannot be read or written
     */
    static ChainHead load(Store store, Path directory) throws LedgerException, RocksDBException {
        ColumnFamilyHandle meta = store.handle(Store.META);
        byte[] format = store.db.get(meta, Encoding.META_FORMAT);
        byte[] heightBytes = store.db.get(meta, Encoding.META_HEIGHT);
        if (format == null && heightBytes == null) {
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                store.db.put(meta, sync, Encoding.META_FORMAT, new byte[] {Encoding.FORMAT_VERSION});
            }
        } else if (Arrays.equals(format, new byte[] {Encoding.FORMAT_VALUED_HISTORY})) {
            HistoryMigration.run(store, directory);
            MetadataMigration.run(store, directory);
        } else if (Arrays.equals(format, new byte[] {Encoding.FORMAT_SEPARATE_METADATA})) {
            MetadataMigration.run(store, directory);
        } else if (format == null || !Arrays.equals(format, new byte[] {Encoding.FORMAT_VERSION})) {
            throw new LedgerException("ledger in " + directory + " has unknown format "
                    + (format == null ? "(none)" : Encoding.hex(format))
                    + (Arrays.equals(format, new byte[] {1})
                            ? " (written before keys had endorsement policies: move the directory away and start"
                                    + " the node with --join to take the blocks from the other nodes again)"
                            : ""));
        }
        store.drop(Store.KEY_METADATA); // format 4 keeps key metadata in the state: see MetadataMigration
        long height = heightBytes == null ? 0 : ByteBuffer.wrap(heightBytes).getLong();
        byte[] lastHash = store.db.get(meta, Encoding.META_LAST_HASH);
        if (height > 0) {
            checkLastBlocks(store, directory, height, lastHash);
        }
        return new ChainHead(height, lastHash == null ? new byte[0] : lastHash);
    }

    /**
     * Checks the end of the chain: the last {@link #CHECKED_AT_OPEN} blocks are read (RocksDB verifies the checksums
     * of what it reads, naming a damaged table file), decode, match their data hashes, chain by their previous-hash
     * fields, and the last one's header hash is the stored one. The whole ledger is checked by {@link LedgerAudit}.
     */
    private static void checkLastBlocks(Store store, Path directory, long height, byte[] lastHash)
            throws LedgerException {
        String where = "ledger in " + directory + " (height " + height + ") is corrupt";
        byte[] expectedHash = lastHash;
        for (long number = height - 1; number >= Math.max(0, height - CHECKED_AT_OPEN); number--) {
            byte[] stored;
            try {
                stored = store.db.get(store.handle(Store.BLOCKS), Encoding.blockKey(number));
            } catch (RocksDBException e) {
                throw new LedgerException(where + ": block " + number + " cannot be read: " + e.getMessage(), e);
            }
            if (stored == null) {
                throw new LedgerException(where + ": block " + number + " is missing");
            }
            Block block;
            try {
                block = Block.parseFrom(stored);
            } catch (InvalidProtocolBufferException e) {
                throw new LedgerException(where + ": block " + number + " does not decode", e);
            }
            byte[] hash = BlockHashes.headerHash(block.getHeader());
            if (expectedHash == null || !Arrays.equals(hash, expectedHash)) {
                throw new LedgerException(where + ": block " + number + " has header hash " + Encoding.hex(hash)
                        + " but "
                        + (number == height - 1
                                ? "the stored last header hash is "
                                : "block " + (number + 1) + " chains to ")
                        + (expectedHash == null ? "(none)" : Encoding.hex(expectedHash)));
            }
            if (block.getHeader().getNumber() != number
                    || !Arrays.equals(
                            block.getHeader().getDataHash().toByteArray(), BlockHashes.dataHash(block.getData()))) {
                throw new LedgerException(
                        where + ": block " + number + " does not match its header's number or data" + " hash");
            }
            expectedHash = block.getHeader().getPreviousHash().toByteArray();
        }
    }
}
