package dev.dossier.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SignatureException;
import org.junit.jupiter.api.Test;

class EcdsaSignatureTest {
    private static final BigInteger N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger HALF_N = N.shiftRight(1);

    @Test
    void order_isP256() {
        assertThat(EcdsaSignature.P256_ORDER).isEqualTo(N);
    }

    @Test
    void isLowS_boundaries() {
        assertThat(new EcdsaSignature(BigInteger.ONE, BigInteger.ONE).isLowS()).isTrue();
        assertThat(new EcdsaSignature(BigInteger.ONE, HALF_N).isLowS()).isTrue();
        assertThat(new EcdsaSignature(BigInteger.ONE, HALF_N.add(BigInteger.ONE)).isLowS())
                .isFalse();
        assertThat(new EcdsaSignature(BigInteger.ONE, N.subtract(BigInteger.ONE)).isLowS())
                .isFalse();
        assertThat(new EcdsaSignature(BigInteger.ONE, BigInteger.ZERO).isLowS()).isFalse();
        assertThat(new EcdsaSignature(BigInteger.ONE, BigInteger.ONE.negate()).isLowS())
                .isFalse();
    }

    @Test
    void toLowS_highS_becomesNMinusS() {
        assertThat(new EcdsaSignature(BigInteger.ONE, HALF_N).toLowS().s()).isEqualTo(HALF_N);
        assertThat(new EcdsaSignature(BigInteger.ONE, HALF_N.add(BigInteger.ONE))
                        .toLowS()
                        .s())
                .isEqualTo(HALF_N);
        assertThat(new EcdsaSignature(BigInteger.ONE, N.subtract(BigInteger.ONE))
                        .toLowS()
                        .s())
                .isEqualTo(BigInteger.ONE);
    }

    @Test
    void toLowS_outOfRange_throws() {
        assertThatThrownBy(() -> new EcdsaSignature(BigInteger.ONE, N).toLowS())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EcdsaSignature(BigInteger.ONE, BigInteger.ZERO).toLowS())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toDer_thenFromDer_roundTrips() throws Exception {
        EcdsaSignature[] cases = {
            new EcdsaSignature(BigInteger.ONE, BigInteger.ONE),
            new EcdsaSignature(BigInteger.valueOf(0x80), BigInteger.valueOf(0x7f)),
            new EcdsaSignature(N.subtract(BigInteger.ONE), HALF_N),
        };
        for (EcdsaSignature signature : cases) {
            assertThat(EcdsaSignature.fromDer(signature.toDer())).isEqualTo(signature);
        }
    }

    @Test
    void toDer_smallValues_isMinimal() {
        assertThat(new EcdsaSignature(BigInteger.ONE, BigInteger.valueOf(0x80)).toDer())
                .containsExactly(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80);
    }

    @Test
    void fromDer_superfluousLeadingZero_throws() {
        byte[] der = {0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01};
        assertThatThrownBy(() -> EcdsaSignature.fromDer(der))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("superfluous leading zero");
    }

    @Test
    void fromDer_trailingByte_throws() {
        byte[] der = {0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00};
        assertThatThrownBy(() -> EcdsaSignature.fromDer(der)).isInstanceOf(SignatureException.class);
    }

    @Test
    void fromDer_rNotBelowN_throws() {
        byte[] der = new EcdsaSignature(N, BigInteger.ONE).toDer();
        assertThatThrownBy(() -> EcdsaSignature.fromDer(der))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("r is not in [1, n-1]");
    }
}
