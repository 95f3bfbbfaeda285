package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;

/**
 * How {@link Ledger#commit(List, BlockSeal)} closes a block before writing it: the consenter metadata that the
 * block's SIGNATURES entry carries, and the signatures over it.
 *
 * <p>The SIGNATURES metadata entry is a {@code common.Metadata} whose {@code value} is an
 * {@code OrdererBlockMetadata} (last config index 0, {@code consenter_metadata} as given here) and whose
 * {@code signatures} are what {@link #signatures} returns, as Fabric's orderer writes it. The value is the same on
 * every node that commits the same block; the signatures are each node's own.
 *
 * <pre>{@code
 * Block block = ledger.commit(txs, BlockSeal.of(consenterMetadata, unsigned -> List.of(sign(unsigned))));
 * }</pre>
 */
public interface BlockSeal {
    /** No consenter metadata, no signature: the block as a single unsigned node writes it. */
    BlockSeal UNSIGNED = of(ByteString.EMPTY, block -> List.of());

    /** @return the bytes for {@code OrdererBlockMetadata.consenter_metadata}; empty for none */
    ByteString consenterMetadata();

    /**
     * Signs the block just built. Called under the ledger's commit lock with the complete block whose SIGNATURES entry
     * has no signatures yet; nothing is written if this throws.
     *
     * @param unsigned the block as it will be stored, without signatures
     * @return the signatures to store, possibly none
     * @throws LedgerException to refuse the block (the commit then fails and writes nothing)
     */
    List<MetadataSignature> signatures(Block unsigned) throws LedgerException;

    /** Signs a block; see {@link #signatures}. */
    @FunctionalInterface
    interface Signing {
        List<MetadataSignature> signatures(Block unsigned) throws LedgerException;
    }

    /**
     * @return a seal with that consenter metadata and signing
     * @throws NullPointerException if an argument is null
     */
    static BlockSeal of(ByteString consenterMetadata, Signing signing) {
        requireNonNull(consenterMetadata, "consenterMetadata");
        requireNonNull(signing, "signing");
        return new BlockSeal() {
            @Override
            public ByteString consenterMetadata() {
                return consenterMetadata;
            }

            @Override
            public List<MetadataSignature> signatures(Block unsigned) throws LedgerException {
                return signing.signatures(unsigned);
            }
        };
    }

    /**
     * @return the block's SIGNATURES metadata entry, decoded
     * @throws IllegalArgumentException if the block has no such entry or it does not decode
     */
    static Metadata signaturesMetadata(Block block) {
        requireNonNull(block, "block");
        if (block.getMetadata().getMetadataCount() <= BlockMetadataIndex.SIGNATURES_VALUE) {
            throw new IllegalArgumentException(
                    "block " + block.getHeader().getNumber() + " has no SIGNATURES metadata");
        }
        try {
            return Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "block " + block.getHeader().getNumber() + ": SIGNATURES metadata does not decode", e);
        }
    }

    /**
     * @return the consenter metadata of the block's SIGNATURES entry (empty if it has none)
     * @throws IllegalArgumentException if the SIGNATURES entry is missing or does not decode
     */
    static ByteString consenterMetadata(Block block) {
        try {
            return OrdererBlockMetadata.parseFrom(signaturesMetadata(block).getValue())
                    .getConsenterMetadata();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "block " + block.getHeader().getNumber() + ": orderer block metadata does not decode", e);
        }
    }
}
