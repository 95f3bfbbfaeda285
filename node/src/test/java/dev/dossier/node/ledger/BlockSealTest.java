package dev.dossier.node.ledger;

import static dev.dossier.node.ledger.TestTxs.rw;
import static dev.dossier.node.ledger.TestTxs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockSealTest {
    private static final ByteString CONSENTER = ByteString.copyFromUtf8("raft position 7");
    private static final MetadataSignature SIGNATURE = MetadataSignature.newBuilder()
            .setSignatureHeader(ByteString.copyFromUtf8("header"))
            .setSignature(ByteString.copyFromUtf8("signature"))
            .build();

    @TempDir
    Path dir;

    @Test
    void commit_withSeal_storesConsenterMetadataAndSignatures_headerUnchanged() throws Exception {
        Block unsignedTwin;
        try (Ledger plain = Ledger.open(dir.resolve("plain"))) {
            plain.commitGenesis(TestTxs.configEnvelope("genesis"));
            unsignedTwin = plain.commit(List.of(valid("t0", rw().write("k", "v"))));
        }
        try (Ledger ledger = Ledger.open(dir.resolve("sealed"))) {
            ledger.commitGenesis(TestTxs.configEnvelope("genesis"));
            Block[] seen = new Block[1];
            Block block =
                    ledger.commit(List.of(valid("t0", rw().write("k", "v"))), BlockSeal.of(CONSENTER, unsigned -> {
                        seen[0] = unsigned;
                        return List.of(SIGNATURE);
                    }));

            Metadata entry = BlockSeal.signaturesMetadata(block);
            assertThat(entry.getSignaturesList()).containsExactly(SIGNATURE);
            assertThat(OrdererBlockMetadata.parseFrom(entry.getValue())
                            .getLastConfig()
                            .getIndex())
                    .isZero();
            assertThat(BlockSeal.consenterMetadata(block)).isEqualTo(CONSENTER);
            assertThat(BlockSeal.signaturesMetadata(seen[0]).getSignaturesList())
                    .isEmpty();
            assertThat(BlockSeal.signaturesMetadata(seen[0]).getValue()).isEqualTo(entry.getValue());
            assertThat(block.getHeader()).isEqualTo(unsignedTwin.getHeader());
            assertThat(ledger.block(1).orElseThrow()).isEqualTo(block);
        }
        assertThat(LedgerAudit.audit(dir.resolve("sealed")).problem()).isEmpty();
    }

    @Test
    void commit_unsigned_writesTheSameBlockAsBefore() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.commitGenesis(TestTxs.configEnvelope("genesis"));
            Block block = ledger.commit(List.of(valid("t0", rw().write("k", "v"))));

            assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE))
                    .isEqualTo(Blocks.SIGNATURES_METADATA);
            assertThat(BlockSeal.consenterMetadata(block)).isEmpty();
        }
    }

    @Test
    void commit_sealRefuses_writesNothing() throws Exception {
        try (Ledger ledger = Ledger.open(dir)) {
            ledger.commitGenesis(TestTxs.configEnvelope("genesis"));

            assertThatThrownBy(() ->
                            ledger.commit(List.of(valid("t0", rw().write("k", "v"))), BlockSeal.of(CONSENTER, b -> {
                                throw new LedgerException("refused");
                            })))
                    .isInstanceOf(LedgerException.class)
                    .hasMessage("refused");

            assertThat(ledger.height()).isEqualTo(1);
            assertThat(ledger.get("cc", "k")).isEmpty();
            assertThat(ledger.transaction("t0")).isEmpty();
            Block next = ledger.commit(List.of(valid("t0", rw().write("k", "v"))));
            assertThat(next.getHeader().getNumber()).isEqualTo(1);
        }
    }
}
