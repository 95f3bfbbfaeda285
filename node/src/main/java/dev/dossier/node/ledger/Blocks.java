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
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/**
 * Builds blocks in Fabric's format. The metadata has the five entries of {@link BlockMetadataIndex}: SIGNATURES
 * carries an {@code OrdererBlockMetadata} naming the last config block and no signatures, LAST_CONFIG the same index
 * in its legacy form, TRANSACTIONS_FILTER one validation code per transaction, ORDERER and COMMIT_HASH are empty.
 * The genesis block is the only config block this ledger writes, so the last config index is always 0.
 */
final class Blocks {
    static final int METADATA_ENTRIES = 5;
    static final ByteString SIGNATURES_METADATA = Metadata.newBuilder()
            .setValue(OrdererBlockMetadata.newBuilder()
                    .setLastConfig(LastConfig.newBuilder().setIndex(0))
                    .build()
                    .toByteString())
            .build()
            .toByteString();
    static final ByteString LAST_CONFIG_METADATA = Metadata.newBuilder()
            .setValue(LastConfig.newBuilder().setIndex(0).build().toByteString())
            .build()
            .toByteString();

    private Blocks() {}

    static Block build(long number, byte[] previousHash, List<ByteString> envelopes, byte[] filter) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data)))
                .build();
        ByteString[] metadata = new ByteString[METADATA_ENTRIES];
        metadata[BlockMetadataIndex.SIGNATURES_VALUE] = SIGNATURES_METADATA;
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
