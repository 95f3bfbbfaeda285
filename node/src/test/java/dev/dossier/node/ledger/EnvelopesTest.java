package dev.dossier.node.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.junit.jupiter.api.Test;

class EnvelopesTest {
    @Test
    void readWriteSet_followsThePathToChaincodeActionResults() throws Exception {
        TxReadWriteSet rwset =
                TestTxs.rw().write("k", "v").ns("other").delete("x").build();

        assertThat(Envelopes.readWriteSet(TestTxs.endorserEnvelope("t1", rwset)))
                .isEqualTo(rwset);
    }

    @Test
    void readWriteSet_aliased_decodesTheSame_andGarbageStillThrows() throws Exception {
        TxReadWriteSet rwset =
                TestTxs.rw().write("k", "v").ns("other").delete("x").build();
        Envelope garbage = Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}))
                .build();

        assertThat(Envelopes.readWriteSet(TestTxs.endorserEnvelope("t1", rwset), true))
                .isEqualTo(rwset);
        assertThatThrownBy(() -> Envelopes.readWriteSet(garbage, true))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void readWriteSet_garbagePayload_throws() {
        Envelope garbage = Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}))
                .build();

        assertThatThrownBy(() -> Envelopes.readWriteSet(garbage)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void readWriteSet_noActions_throws() {
        Envelope empty = Envelope.newBuilder()
                .setPayload(Payload.newBuilder().build().toByteString())
                .build();

        assertThatThrownBy(() -> Envelopes.readWriteSet(empty))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("no actions");
    }

    @Test
    void txIdOrNull_readsTheChannelHeader() {
        assertThat(Envelopes.txIdOrNull(TestTxs.configEnvelope("cfg"))).isEqualTo("cfg");
        assertThat(Envelopes.txIdOrNull(Envelope.newBuilder()
                        .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                        .build()))
                .isNull();
    }
}
