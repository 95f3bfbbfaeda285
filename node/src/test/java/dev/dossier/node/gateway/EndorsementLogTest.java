package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.junit.jupiter.api.Test;

class EndorsementLogTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("response payload");
    private static final ByteString ENDORSER = ByteString.copyFromUtf8("endorser identity");
    private static final Endorsement SIGNED = Endorsement.newBuilder()
            .setEndorser(ENDORSER)
            .setSignature(ByteString.copyFromUtf8("signature"))
            .build();

    private static EndorsementLog logWithOne() {
        EndorsementLog log = new EndorsementLog(4);
        log.add(EndorsementLog.signedDigest(PAYLOAD, ENDORSER), SIGNED);
        return log;
    }

    @Test
    void remembered_exactlyThatPayloadEndorserAndSignature() {
        assertThat(logWithOne().contains(PAYLOAD, SIGNED)).isTrue();
    }

    @Test
    void anotherPayloadOrSignature_notRemembered() {
        EndorsementLog log = logWithOne();

        assertThat(log.contains(ByteString.copyFromUtf8("response payloaD"), SIGNED))
                .isFalse();
        assertThat(log.contains(
                        PAYLOAD,
                        SIGNED.toBuilder()
                                .setSignature(ByteString.copyFromUtf8("signaturE"))
                                .build()))
                .isFalse();
    }

    @Test
    void sameBytesSplitElsewhereBetweenPayloadAndEndorser_notRemembered() {
        EndorsementLog log = logWithOne();
        // "response payload" + "endorser identity" == "response payloade" + "ndorser identity"
        Endorsement shifted = SIGNED.toBuilder()
                .setEndorser(ByteString.copyFromUtf8("ndorser identity"))
                .build();

        assertThat(EndorsementLog.signedDigest(ByteString.copyFromUtf8("response payloade"), shifted.getEndorser()))
                .isEqualTo(EndorsementLog.signedDigest(PAYLOAD, ENDORSER));
        assertThat(log.contains(ByteString.copyFromUtf8("response payloade"), shifted))
                .isFalse();
    }

    @Test
    void oldestForgotten_beyondCapacity() {
        EndorsementLog log = new EndorsementLog(2);
        log.add(EndorsementLog.signedDigest(PAYLOAD, ENDORSER), SIGNED);
        for (int i = 0; i < 2; i++) {
            ByteString other = ByteString.copyFromUtf8("payload " + i);
            log.add(EndorsementLog.signedDigest(other, ENDORSER), SIGNED);
        }

        assertThat(log.contains(PAYLOAD, SIGNED)).isFalse();
        assertThat(log.contains(ByteString.copyFromUtf8("payload 1"), SIGNED)).isTrue();
    }
}
