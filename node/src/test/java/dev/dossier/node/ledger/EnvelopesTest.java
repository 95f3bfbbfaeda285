package dev.dossier.node.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
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

    @Test
    void decode_isParseFromWithoutCopies_andRefusesWhatParseFromRefuses() throws Exception {
        byte[] encoded = Envelope.newBuilder()
                .setPayload(ByteString.copyFrom(new byte[100_000]))
                .setSignature(ByteString.copyFromUtf8("sig"))
                .build()
                .toByteArray();
        ByteString bytes = UnsafeByteOperations.unsafeWrap(encoded);

        Envelope decoded = Envelopes.decode(Envelope.parser(), bytes);
        Envelope copied = Envelope.parseFrom(bytes);

        assertThat(decoded).isEqualTo(copied);
        // the payload is a view of the bytes decoded, not a copy: a change to them shows through
        encoded[encoded.length - 10] = 7;
        assertThat(decoded.getPayload().byteAt(99_999 - 4)).isEqualTo((byte) 7);
        assertThat(copied.getPayload().byteAt(99_999 - 4)).isZero();
        // an end-group tag (field 1, wire type 4) ends a message early: both refuse it, as they refuse garbage
        ByteString endGroup = ByteString.copyFrom(new byte[] {0x0c});
        assertThatThrownBy(() -> Envelope.parseFrom(endGroup)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> Envelopes.decode(Envelope.parser(), endGroup))
                .isInstanceOf(InvalidProtocolBufferException.class);
        ByteString garbage = ByteString.copyFrom(new byte[] {(byte) 0xff, 1});
        assertThatThrownBy(() -> Envelopes.decode(Envelope.parser(), garbage))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }
}
