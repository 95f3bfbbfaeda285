package dev.dossier.node.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    private static final BigInteger N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger HALF_N = N.shiftRight(1);

    @Test
    void order_isP256GroupOrder() {
        assertThat(Signatures.P256.getN()).isEqualTo(N);
    }

    @Test
    void isLowS_boundaries() {
        assertThat(Signatures.isLowS(BigInteger.ONE)).isTrue();
        assertThat(Signatures.isLowS(HALF_N)).isTrue();
        assertThat(Signatures.isLowS(HALF_N.add(BigInteger.ONE))).isFalse();
        assertThat(Signatures.isLowS(N.subtract(BigInteger.ONE))).isFalse();
        assertThat(Signatures.isLowS(BigInteger.ZERO)).isFalse();
        assertThat(Signatures.isLowS(BigInteger.ONE.negate())).isFalse();
    }

    @Test
    void toLowS_mapsHighToLowAndKeepsLow() {
        assertThat(Signatures.toLowS(HALF_N)).isEqualTo(HALF_N);
        assertThat(Signatures.toLowS(HALF_N.add(BigInteger.ONE))).isEqualTo(HALF_N);
        assertThat(Signatures.toLowS(N.subtract(BigInteger.ONE))).isEqualTo(BigInteger.ONE);
        assertThatThrownBy(() -> Signatures.toLowS(N)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signatures.toLowS(BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeDer_thenDecode_roundTrips() throws Exception {
        BigInteger[][] cases = {
            {BigInteger.ONE, BigInteger.ONE},
            {BigInteger.valueOf(0x80), BigInteger.valueOf(0x7f)},
            {N.subtract(BigInteger.ONE), HALF_N},
        };
        for (BigInteger[] rs : cases) {
            assertThat(Signatures.decodeDer(Signatures.encodeDer(rs[0], rs[1]))).containsExactly(rs);
        }
    }

    @Test
    void encodeDer_smallValues_isMinimal() {
        assertThat(Signatures.encodeDer(BigInteger.ONE, BigInteger.valueOf(0x80)))
                .containsExactly(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80);
    }
}
