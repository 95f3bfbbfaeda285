package dev.dossier.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.junit.jupiter.api.Test;

class KnownSignaturesTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("response payload");
    private static final ByteString ENDORSER = ByteString.copyFromUtf8("endorser identity");
    private static final Endorsement SIGNED = Endorsement.newBuilder()
            .setEndorser(ENDORSER)
            .setSignature(ByteString.copyFromUtf8("signature"))
            .build();

    private static KnownSignatures withOneEndorsement() {
        KnownSignatures known = new KnownSignatures(4);
        known.addEndorsement(KnownSignatures.endorsementDigest(PAYLOAD, ENDORSER), SIGNED);
        return known;
    }

    /** The digest a validator computes for an endorsement of {@code payload}, as the endorser signed it. */
    private static byte[] signedDigest(ByteString payload, Endorsement endorsement) {
        return KnownSignatures.endorsementDigest(payload, endorsement.getEndorser());
    }

    @Test
    void endorsement_rememberedWithExactlyThatPayloadEndorserAndSignature() {
        assertThat(withOneEndorsement().containsEndorsement(signedDigest(PAYLOAD, SIGNED), SIGNED))
                .isTrue();
    }

    @Test
    void anotherPayloadOrSignature_notRemembered() {
        KnownSignatures known = withOneEndorsement();

        assertThat(known.containsEndorsement(signedDigest(ByteString.copyFromUtf8("response payloaD"), SIGNED), SIGNED))
                .isFalse();
        Endorsement otherSignature = SIGNED.toBuilder()
                .setSignature(ByteString.copyFromUtf8("signaturE"))
                .build();
        assertThat(known.containsEndorsement(signedDigest(PAYLOAD, otherSignature), otherSignature))
                .isFalse();
    }

    @Test
    void sameBytesSplitElsewhereBetweenPayloadAndEndorser_notRemembered() {
        KnownSignatures known = withOneEndorsement();
        // "response payload" + "endorser identity" == "response payloade" + "ndorser identity"
        Endorsement shifted = SIGNED.toBuilder()
                .setEndorser(ByteString.copyFromUtf8("ndorser identity"))
                .build();

        assertThat(KnownSignatures.endorsementDigest(
                        ByteString.copyFromUtf8("response payloade"), shifted.getEndorser()))
                .isEqualTo(KnownSignatures.endorsementDigest(PAYLOAD, ENDORSER));
        assertThat(known.containsEndorsement(
                        signedDigest(ByteString.copyFromUtf8("response payloade"), shifted), shifted))
                .isFalse();
    }

    @Test
    void creatorSignature_notTakenForAnEndorsementOverTheSameDigest() {
        KnownSignatures known = new KnownSignatures(4);
        byte[] digest = KnownSignatures.creatorDigest(PAYLOAD);
        known.add(digest, KnownSignatures.CREATOR, SIGNED.getSignature());

        assertThat(known.contains(digest, KnownSignatures.CREATOR, SIGNED.getSignature()))
                .isTrue();
        assertThat(known.contains(digest, 0, SIGNED.getSignature())).isFalse();
        assertThat(known.contains(
                        KnownSignatures.creatorDigest(ENDORSER), KnownSignatures.CREATOR, SIGNED.getSignature()))
                .isFalse();
    }

    @Test
    void oldestForgotten_beyondCapacity() {
        KnownSignatures known = new KnownSignatures(2);
        known.addEndorsement(KnownSignatures.endorsementDigest(PAYLOAD, ENDORSER), SIGNED);
        for (int i = 0; i < 2; i++) {
            ByteString other = ByteString.copyFromUtf8("payload " + i);
            known.addEndorsement(KnownSignatures.endorsementDigest(other, ENDORSER), SIGNED);
        }

        assertThat(known.containsEndorsement(signedDigest(PAYLOAD, SIGNED), SIGNED))
                .isFalse();
        assertThat(known.containsEndorsement(signedDigest(ByteString.copyFromUtf8("payload 1"), SIGNED), SIGNED))
                .isTrue();
    }
}
