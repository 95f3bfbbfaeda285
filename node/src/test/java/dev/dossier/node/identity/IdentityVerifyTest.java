package dev.dossier.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.EcdsaSignature;
import dev.dossier.crypto.testing.TestPki;
import dev.dossier.crypto.testing.TestPki.Ca;
import dev.dossier.crypto.testing.TestPki.Leaf;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityVerifyTest {
    private static final BigInteger N = EcdsaSignature.P256_ORDER;
    private static final byte[] MESSAGE = TestPki.utf8("proposal bytes");

    private static Signer signer;
    private static Identity identity;
    private static Identity otherIdentity;

    @BeforeAll
    static void setUp(@TempDir Path directory) throws Exception {
        Ca ca = Ca.create("ca.org1.test");
        Leaf leaf = ca.issue("User1@org1.test");
        Leaf other = ca.issue("User2@org1.test");
        signer = TestMsps.signer(leaf, "Org1MSP", directory);
        IdentityValidator validator = new IdentityValidator(List.of(TestMsps.msp(ca, "Org1MSP")));
        identity = validator.validate(signer.serializedIdentity());
        otherIdentity = validator.validate(TestMsps.serializedIdentity(other, "Org1MSP"));
    }

    @Test
    void verify_signatureBySigner_passes() {
        byte[] signature = signer.sign(MESSAGE);

        assertThatCode(() -> identity.verify(MESSAGE, signature)).doesNotThrowAnyException();
    }

    @Test
    void sign_manyMessages_alwaysLowSAndVerifies() throws Exception {
        for (int i = 0; i < 64; i++) {
            byte[] message = TestPki.utf8("message " + i);
            byte[] signature = signer.sign(message);

            assertThat(EcdsaSignature.fromDer(signature).isLowS()).isTrue();
            identity.verify(message, signature);
        }
    }

    @Test
    void sign_sameMessage_isDeterministic() {
        assertThat(signer.sign(MESSAGE)).isEqualTo(signer.sign(MESSAGE));
    }

    @Test
    void verify_highS_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] highS = new EcdsaSignature(rs.r(), N.subtract(rs.s())).toDer();

        assertThatThrownBy(() -> identity.verify(MESSAGE, highS))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature is not low-S (s > n/2)");
    }

    @Test
    void verify_flippedMessageBit_throws() {
        byte[] signature = signer.sign(MESSAGE);
        byte[] flipped = MESSAGE.clone();
        flipped[3] ^= 0x08;

        assertThatThrownBy(() -> identity.verify(flipped, signature))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature does not verify");
    }

    @Test
    void verify_flippedSignatureBit_throws() {
        byte[] signature = signer.sign(MESSAGE);
        signature[signature.length - 1] ^= 0x01;

        assertThatThrownBy(() -> identity.verify(MESSAGE, signature)).isInstanceOf(SignatureException.class);
    }

    @Test
    void verify_signatureOfOtherIdentity_throws() {
        byte[] signature = signer.sign(MESSAGE);

        assertThatThrownBy(() -> otherIdentity.verify(MESSAGE, signature))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void verify_trailingGarbage_throws() {
        byte[] signature = signer.sign(MESSAGE);
        byte[] trailing = Arrays.copyOf(signature, signature.length + 1);

        assertThatThrownBy(() -> identity.verify(MESSAGE, trailing))
                .isInstanceOf(SignatureException.class)
                .hasMessageStartingWith("signature is not strict DER");
    }

    @Test
    void verify_trailingGarbageInsideSequence_throws() {
        byte[] message = MESSAGE.clone();
        byte[] signature = signer.sign(message);
        while (signature.length > 70) { // room for two more bytes within the maximum length
            message[0]++;
            signature = signer.sign(message);
        }
        byte[] padded = Arrays.copyOf(signature, signature.length + 2);
        padded[1] += 2;

        assertThatThrownBy(() -> identity.verify(message, padded))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature is not strict DER: 2 trailing bytes after s");
    }

    @Test
    void verify_longFormSequenceLength_throws() {
        byte[] signature = signer.sign(MESSAGE);
        byte[] ber = new byte[signature.length + 1];
        ber[0] = 0x30;
        ber[1] = (byte) 0x81;
        ber[2] = signature[1];
        System.arraycopy(signature, 2, ber, 3, signature.length - 2);

        assertThatThrownBy(() -> identity.verify(MESSAGE, ber))
                .isInstanceOf(SignatureException.class)
                .hasMessageStartingWith("signature is not strict DER");
    }

    @Test
    void verify_superfluousLeadingZero_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] r = rs.r().toByteArray();
        byte[] s = rs.s().toByteArray();
        byte[] paddedS = new byte[s.length + 1];
        System.arraycopy(s, 0, paddedS, 1, s.length);
        byte[] der = concat(
                new byte[] {0x30, (byte) (4 + r.length + paddedS.length), 0x02, (byte) r.length},
                r,
                new byte[] {0x02, (byte) paddedS.length},
                paddedS);

        assertThatThrownBy(() -> identity.verify(MESSAGE, der))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature is not strict DER: s has a superfluous leading zero");
    }

    @Test
    void verify_negativeR_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] der = new EcdsaSignature(rs.r().negate(), rs.s()).toDer();

        assertThatThrownBy(() -> identity.verify(MESSAGE, der)).isInstanceOf(SignatureException.class);
    }

    @Test
    void verify_zeroS_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] der = new EcdsaSignature(rs.r(), BigInteger.ZERO).toDer();

        assertThatThrownBy(() -> identity.verify(MESSAGE, der))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature s is not in [1, n-1]");
    }

    @Test
    void verify_rPlusN_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] der = new EcdsaSignature(rs.r().add(N), rs.s()).toDer();

        assertThatThrownBy(() -> identity.verify(MESSAGE, der)).isInstanceOf(SignatureException.class);
    }

    @Test
    void verify_emptyOrRandomBytes_throws() {
        assertThatThrownBy(() -> identity.verify(MESSAGE, new byte[0])).isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> identity.verify(MESSAGE, TestPki.utf8("not a signature at all, definitely")))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void verify_rawRConcatS_throws() throws Exception {
        EcdsaSignature rs = EcdsaSignature.fromDer(signer.sign(MESSAGE));
        byte[] raw = concat(fixed32(rs.r()), fixed32(rs.s()));

        assertThatThrownBy(() -> identity.verify(MESSAGE, raw)).isInstanceOf(SignatureException.class);
    }

    @Test
    void verify_truncatedSignatures_allThrow() {
        byte[] signature = signer.sign(MESSAGE);
        for (int length = 0; length < signature.length; length++) {
            byte[] truncated = Arrays.copyOf(signature, length);
            assertThatThrownBy(() -> identity.verify(MESSAGE, truncated)).isInstanceOf(SignatureException.class);
        }
    }

    private static byte[] fixed32(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
