package dev.dossier.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.crypto.testing.TestPki;
import java.security.SignatureException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcIssuerKeyTest {
    private static final TestPki.Ca CA = TestPki.Ca.create("ca.test");
    private static final TestPki.Ca OTHER = TestPki.Ca.create("other.test");

    @Test
    void verifySignatureOf_issuedByThisCa_passes() throws Exception {
        EcIssuerKey.of(CA.certificate()).verifySignatureOf(CA.issue("alice").certificate());
        EcIssuerKey.of(CA.certificate()).verifySignatureOf(CA.certificate());
    }

    @Test
    void verifySignatureOf_issuedByAnotherCa_throws() throws Exception {
        EcIssuerKey key = EcIssuerKey.of(CA.certificate());
        assertThatThrownBy(() -> key.verifySignatureOf(OTHER.issue("mallory").certificate()))
                .isInstanceOf(SignatureException.class)
                .hasMessage("certificate signature does not verify");
    }

    @Test
    void verifySignatureOf_leafKeyOnP384_isStillCheckedByTheP256Ca() throws Exception {
        TestPki.Leaf p384 =
                CA.issue("p384", TestPki.Keys.onCurve("P-384"), TestPki.NOW, TestPki.NOW.plusSeconds(60), Map.of());
        EcIssuerKey.of(CA.certificate()).verifySignatureOf(p384.certificate());
        EcIssuerKey otherKey = EcIssuerKey.of(p384.certificate());
        assertThatThrownBy(() -> otherKey.verifySignatureOf(CA.certificate())).isInstanceOf(SignatureException.class);
    }
}
