package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/**
 * Builds blocks in Fabric's format. The metadata has the five entries of {@link BlockMetadataIndex}: SIGNATURES
 * carries an {@code OrdererBlockMetadata} naming the last config block (with the consenter metadata of a
 * {@link BlockSeal}) and the seal's signatures, if any, LAST_CONFIG the same index
 * in its legacy form, TRANSACTIONS_FILTER one validation code per transaction, ORDERER and COMMIT_HASH are empty.
 * The genesis block is the only config block this ledger writes, so the last config index is always 0.
 */
final class Blocks {
    static final int METADATA_ENTRIES = 5;
    static final ByteString SIGNATURES_METADATA = Metadata.newBuilder()
            .setValue(signaturesValue(ByteString.EMPTY))
            .build()
            .toByteString();
    static final ByteString LAST_CONFIG_METADATA = Metadata.newBuilder()
            .setValue(LastConfig.newBuilder().setIndex(0).build().toByteString())
            .build()
            .toByteString();

    private Blocks() {}

    /** @return the value of the SIGNATURES entry: an {@code OrdererBlockMetadata} naming config block 0 */
    static ByteString signaturesValue(ByteString consenterMetadata) {
        return OrdererBlockMetadata.newBuilder()
                .setLastConfig(LastConfig.newBuilder().setIndex(0))
                .setConsenterMetadata(consenterMetadata)
                .build()
                .toByteString();
    }

    static Block build(long number, byte[] previousHash, List<ByteString> envelopes, byte[] filter) {
        return build(number, previousHash, envelopes, filter, SIGNATURES_METADATA);
    }

    /** @return {@code block} with its SIGNATURES entry carrying {@code signatures} beside its value */
    static Block withSignatures(Block block, List<MetadataSignature> signatures) {
        if (signatures.isEmpty()) {
            return block;
        }
        Metadata signed = BlockSeal.signaturesMetadata(block).toBuilder()
                .addAllSignatures(signatures)
                .build();
        return block.toBuilder()
                .setMetadata(block.getMetadata().toBuilder()
                        .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, signed.toByteString()))
                .build();
    }

    static Block build(
            long number, byte[] previousHash, List<ByteString> envelopes, byte[] filter, ByteString signatures) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data)))
                .build();
        ByteString[] metadata = new ByteString[METADATA_ENTRIES];
        metadata[BlockMetadataIndex.SIGNATURES_VALUE] = signatures;
        metadata[BlockMetadataIndex.LAST_CONFIG_VALUE] = LAST_CONFIG_METADATA;
        metadata[BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE] = ByteString.copyFrom(filter);
        metadata[BlockMetadataIndex.ORDERER_VALUE] = ByteString.EMPTY;
        metadata[BlockMetadataIndex.COMMIT_HASH_VALUE] = ByteString.EMPTY;
        return Block.newBuilder()
                .setHeader(header)
                .setData(data)
                .setMetadata(BlockMetadata.newBuilder().addAllMetadata(List.of(metadata)))
                .build();
    }
}
