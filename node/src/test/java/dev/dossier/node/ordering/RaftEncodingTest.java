package dev.dossier.node.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.BlockSeal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.junit.jupiter.api.Test;

class RaftEncodingTest {
    private static final Instant CUT = Instant.parse("2026-01-02T03:04:05.000000006Z");

    @Test
    void orderedBatch_encodesVersionTimeAndEnvelopes_andDecodesBack() {
        OrderedBatch batch =
                new OrderedBatch(CUT, List.of(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("bc")));

        ByteString encoded = batch.encode();

        assertThat(HexFormat.of().formatHex(encoded.toByteArray()))
                .isEqualTo("01" + "00000000695735a5" + "00000006" + "0a0161" + "0a026263");
        assertThat(OrderedBatch.decode(encoded)).isEqualTo(batch);
    }

    @Test
    void orderedBatch_decode_refusesOtherVersionsAndTruncation() {
        ByteString encoded = new OrderedBatch(CUT, List.of(ByteString.copyFromUtf8("a"))).encode();

        assertThatThrownBy(() ->
                        OrderedBatch.decode(ByteString.copyFrom(new byte[] {2}).concat(encoded.substring(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderedBatch.decode(encoded.substring(0, 5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OrderedBatch.decode(encoded.substring(0, encoded.size() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void raftPosition_isTheConsenterMetadataOfTheBlock() {
        RaftPosition position = new RaftPosition(3, 42, CUT);
        ByteString consenter = position.consenterMetadata();

        assertThat(HexFormat.of().formatHex(consenter.toByteArray()))
                .isEqualTo("0a1d" + "01" + "0000000000000003" + "000000000000002a" + "00000000695735a5" + "00000006");
        assertThat(RaftPosition.of(block(consenter))).contains(position);
        assertThat(RaftPosition.of(block(ByteString.EMPTY))).isEmpty();
        assertThatThrownBy(() -> RaftPosition.of(block(Metadata.newBuilder()
                        .setValue(ByteString.copyFromUtf8("nope"))
                        .build()
                        .toByteString())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Block block(ByteString consenterMetadata) {
        ByteString signatures = Metadata.newBuilder()
                .setValue(OrdererBlockMetadata.newBuilder()
                        .setConsenterMetadata(consenterMetadata)
                        .build()
                        .toByteString())
                .build()
                .toByteString();
        Block block = Block.newBuilder()
                .setMetadata(BlockMetadata.newBuilder().addMetadata(signatures))
                .build();
        assertThat(BlockSeal.consenterMetadata(block)).isEqualTo(consenterMetadata);
        return block;
    }
}
