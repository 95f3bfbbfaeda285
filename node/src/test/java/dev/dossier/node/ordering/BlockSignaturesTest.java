package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.BlockSeal;
import java.nio.file.Path;
import java.security.SignatureException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSignaturesTest {
    @TempDir
    static Path dir;

    private static Signer node1;
    private static Signer node2;
    private static IdentityValidator identities;

    @BeforeAll
    static void consortium() throws Exception {
        Consortium consortium = CryptoGen.generate(dir.resolve("network"), 2, "dossier", "notary", 7051);
        node1 = consortium.signer("node0.org1.dossier.local");
        node2 = consortium.signer("node0.org2.dossier.local");
        identities = new IdentityValidator(consortium.msps());
    }

    private static Block unsigned() {
        ByteString value = ByteString.copyFromUtf8("orderer block metadata");
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder()
                        .setNumber(7)
                        .setPreviousHash(ByteString.copyFrom(new byte[32]))
                        .setDataHash(ByteString.copyFrom(new byte[] {1, 2, 3})))
                .setMetadata(BlockMetadata.newBuilder()
                        .addMetadata(
                                Metadata.newBuilder().setValue(value).build().toByteString()))
                .build();
    }

    private static Block signed(Block block, MetadataSignature signature) {
        Metadata metadata = BlockSeal.signaturesMetadata(block).toBuilder()
                .addSignatures(signature)
                .build();
        return block.toBuilder()
                .setMetadata(BlockMetadata.newBuilder().addMetadata(metadata.toByteString()))
                .build();
    }

    private static Identity only(Signer signer, ByteString creator) {
        try {
            return creator.equals(signer.serializedIdentity()) ? identities.validate(creator) : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sign_coversValueSignatureHeaderAndHeaderBytes_asFabricVerifies() throws Exception {
        Block block = unsigned();
        MetadataSignature signature = BlockSignatures.sign(node1, block);

        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        assertThat(header.getCreator()).isEqualTo(node1.serializedIdentity());
        assertThat(header.getNonce().size()).isEqualTo(24);
        byte[] message = BlockSeal.signaturesMetadata(block)
                .getValue()
                .concat(signature.getSignatureHeader())
                .concat(ByteString.copyFrom(BlockHashes.headerBytes(block.getHeader())))
                .toByteArray();
        identities
                .validate(node1.serializedIdentity())
                .verify(message, signature.getSignature().toByteArray());
        assertThat(BlockSignatures.verify(signed(block, signature), c -> only(node1, c)))
                .extracting(Identity::mspId)
                .containsExactly("Org1MSP");
    }

    @Test
    void verify_otherHeader_orUnknownSigner_orNoSignature_throws() {
        Block block = unsigned();
        Block signedBlock = signed(block, BlockSignatures.sign(node1, block));
        Block renumbered = signedBlock.toBuilder()
                .setHeader(signedBlock.getHeader().toBuilder().setNumber(8))
                .build();

        assertThatThrownBy(() -> BlockSignatures.verify(renumbered, c -> only(node1, c)))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("block 8 signature 0");
        assertThatThrownBy(() -> BlockSignatures.verify(signedBlock, c -> only(node2, c)))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("not a node of the consortium");
        assertThatThrownBy(() -> BlockSignatures.verify(block, c -> only(node1, c)))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("not signed");
    }
}
