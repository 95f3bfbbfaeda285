package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.RocksDBException;

/**
 * The form of a stored chain of blocks, checked one block at a time in order for {@link LedgerAudit}: the block is
 * present, decodes, re-encodes to the same bytes, carries its own number, its data hash is the hash of its data, its
 * previous hash is the header hash of the block before (empty for block 0), its metadata is what the ledger writes,
 * and its transactions filter has one known code per transaction. What the transactions say is not looked at here.
 */
final class ChainCheck {
    /** A block whose form is right, with its transactions filter. */
    record Checked(Block block, byte[] filter) {}

    private final Store stored;
    private final boolean followed;
    private byte[] previousHeaderHash = new byte[0];

    /** @throws RocksDBException if the ledger's metadata cannot be read */
    ChainCheck(Store stored) throws RocksDBException {
        this.stored = stored;
        this.followed = stored.db.get(stored.handle(Store.META), Encoding.META_SOURCE) != null;
    }

    /** @return whether the ledger holds a followed channel's blocks ({@link Ledger#append}) */
    boolean followed() {
        return followed;
    }

    /**
     * Checks block {@code number}, which must follow the block checked before (or be block 0).
     *
     * @throws AuditProblem naming the first thing wrong with the block
     */
    Checked next(long number) throws AuditProblem {
        byte[] bytes;
        try {
            bytes = stored.db.get(stored.handle(Store.BLOCKS), Encoding.blockKey(number));
        } catch (RocksDBException e) {
            throw AuditProblem.inBlock(number, "cannot be read: " + e.getMessage());
        }
        if (bytes == null) {
            throw AuditProblem.inBlock(number, "missing");
        }
        Block block;
        try {
            block = Block.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw AuditProblem.inBlock(number, "does not decode: " + e.getMessage());
        }
        if (!Arrays.equals(block.toByteArray(), bytes)) {
            throw AuditProblem.inBlock(number, "stored bytes are not the block's encoding (altered after writing)");
        }
        if (block.getHeader().getNumber() != number) {
            throw AuditProblem.inBlock(
                    number,
                    "header number is "
                            + Long.toUnsignedString(block.getHeader().getNumber()));
        }
        byte[] dataHash = BlockHashes.dataHash(block.getData());
        if (!Arrays.equals(dataHash, block.getHeader().getDataHash().toByteArray())) {
            throw AuditProblem.inBlock(
                    number,
                    "data hash mismatch: stored "
                            + Encoding.hex(block.getHeader().getDataHash().toByteArray()) + " computed "
                            + Encoding.hex(dataHash));
        }
        byte[] previousHash = block.getHeader().getPreviousHash().toByteArray();
        if (!Arrays.equals(previousHash, previousHeaderHash)) {
            throw AuditProblem.inBlock(
                    number,
                    "previous hash mismatch: stored " + Encoding.hex(previousHash)
                            + (number == 0
                                    ? ", expected empty"
                                    : " but block " + (number - 1) + " hashes to " + Encoding.hex(previousHeaderHash)));
        }
        byte[] filter = followed ? checkFollowedMetadata(number, block) : checkMetadata(number, block);
        previousHeaderHash = BlockHashes.headerHash(block.getHeader());
        return new Checked(block, filter);
    }

    /** @return the header hash of the last block checked, empty before the first */
    byte[] lastHeaderHash() {
        return previousHeaderHash;
    }

    /**
     * A followed channel's block keeps the metadata its producer wrote (a Fabric orderer's and peer's: the last config
     * block, the orderer's signatures, the commit hash): at most the five entries of {@link BlockMetadataIndex}, a
     * SIGNATURES entry that decodes (its signatures were checked against the orderer's organisation when the block
     * was appended), a LAST_CONFIG entry, if any, that decodes and names a block not after this one, and a
     * transactions filter as {@link FollowedBlocks#filter} reads it.
     */
    private static byte[] checkFollowedMetadata(long number, Block block) throws AuditProblem {
        List<ByteString> metadata = block.getMetadata().getMetadataList();
        if (metadata.size() > Blocks.METADATA_ENTRIES) {
            throw AuditProblem.inBlock(
                    number,
                    "has " + metadata.size() + " metadata entries, at most " + Blocks.METADATA_ENTRIES + " expected");
        }
        try {
            if (metadata.size() > BlockMetadataIndex.SIGNATURES_VALUE) {
                Metadata.parseFrom(metadata.get(BlockMetadataIndex.SIGNATURES_VALUE));
            }
            if (metadata.size() > BlockMetadataIndex.LAST_CONFIG_VALUE
                    && !metadata.get(BlockMetadataIndex.LAST_CONFIG_VALUE).isEmpty()) {
                long lastConfig = LastConfig.parseFrom(
                                Metadata.parseFrom(metadata.get(BlockMetadataIndex.LAST_CONFIG_VALUE))
                                        .getValue())
                        .getIndex();
                if (Long.compareUnsigned(lastConfig, number) > 0) {
                    throw AuditProblem.inBlock(number, "LAST_CONFIG metadata names a later block, " + lastConfig);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw AuditProblem.inBlock(number, "SIGNATURES or LAST_CONFIG metadata does not decode");
        }
        try {
            return FollowedBlocks.filter(block);
        } catch (IllegalArgumentException e) {
            throw AuditProblem.inBlock(number, e.getMessage());
        }
    }

    private static byte[] checkMetadata(long number, Block block) throws AuditProblem {
        List<ByteString> metadata = block.getMetadata().getMetadataList();
        if (metadata.size() != Blocks.METADATA_ENTRIES) {
            throw AuditProblem.inBlock(
                    number, "has " + metadata.size() + " metadata entries, expected " + Blocks.METADATA_ENTRIES);
        }
        checkSignaturesEntry(number, block);
        Map<BlockMetadataIndex, ByteString> expected = Map.of(
                BlockMetadataIndex.LAST_CONFIG, Blocks.LAST_CONFIG_METADATA,
                BlockMetadataIndex.ORDERER, ByteString.EMPTY,
                BlockMetadataIndex.COMMIT_HASH, ByteString.EMPTY);
        for (Map.Entry<BlockMetadataIndex, ByteString> entry : expected.entrySet()) {
            if (!metadata.get(entry.getKey().getNumber()).equals(entry.getValue())) {
                throw AuditProblem.inBlock(number, entry.getKey() + " metadata is not what the ledger writes");
            }
        }
        byte[] filter =
                metadata.get(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray();
        int count = block.getData().getDataCount();
        if (filter.length != count) {
            throw AuditProblem.inBlock(
                    number, "transactions filter has " + filter.length + " entries for " + count + " transactions");
        }
        if (count == 0) {
            throw AuditProblem.inBlock(number, "holds no transactions");
        }
        for (int i = 0; i < filter.length; i++) {
            TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xff);
            if (code == null) {
                throw AuditProblem.inBlock(number, "tx " + i + ": unknown validation code " + (filter[i] & 0xff));
            }
        }
        return filter;
    }

    /**
     * The SIGNATURES entry: exactly what the ledger writes for the genesis block; for later blocks an
     * {@code OrdererBlockMetadata} naming config block 0, with any consenter metadata and signatures (whose signers
     * only a reader that knows the consortium can check).
     */
    private static void checkSignaturesEntry(long number, Block block) throws AuditProblem {
        ByteString entry = block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE);
        if (number == 0) {
            if (!entry.equals(Blocks.SIGNATURES_METADATA)) {
                throw AuditProblem.inBlock(number, "SIGNATURES metadata is not what the ledger writes");
            }
            return;
        }
        try {
            OrdererBlockMetadata value =
                    OrdererBlockMetadata.parseFrom(Metadata.parseFrom(entry).getValue());
            if (value.getLastConfig().getIndex() != 0) {
                throw AuditProblem.inBlock(
                        number,
                        "SIGNATURES metadata names config block "
                                + value.getLastConfig().getIndex() + ", but block 0 is the only config block");
            }
        } catch (InvalidProtocolBufferException e) {
            throw AuditProblem.inBlock(number, "SIGNATURES metadata does not decode");
        }
    }
}
