package dev.dossier.client.certificate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dossier.client.Verification;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.util.List;

/**
 * Fuzzes reading a certificate file an inspector was handed ({@link Certificate#parse}, JSON or PDF) and verifying it
 * offline: parsing fails only with {@link IOException}, and a parsed certificate's verification returns a verdict,
 * never VALID (no pinned key signed anything the fuzzer makes) and never an exception. Seeds, in {@code
 * src/test/resources/dev/dossier/client/CertificateFuzzTestInputs/parseAndVerify/}, are certificate files and the
 * inputs of findings ({@code commitment-not-hex}: verify threw {@link IllegalArgumentException}).
 */
class CertificateFuzzTest {
    private static final TrustFile TRUST = trust();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @FuzzTest
    void parseAndVerify(byte[] data) {
        Certificate certificate;
        try {
            certificate = Certificate.parse(data);
        } catch (IOException e) {
            return;
        }
        assertThat(certificate.verifyUrl()).contains("/verify#r=");
        Verification verification = certificate.verify(TRUST, TODAY);
        assertThat(verification.status()).isEqualTo(Verdict.TAMPERED);
        assertThat(verification.reason()).isNotBlank();
    }

    private static TrustFile trust() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new TrustFile(
                    "dossier/dossier/notary",
                    1,
                    List.of(new NoteVerifier.Key(
                            "org1-node1", generator.generateKeyPair().getPublic())));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
