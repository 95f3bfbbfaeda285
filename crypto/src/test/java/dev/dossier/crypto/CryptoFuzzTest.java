package dev.dossier.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SignatureException;
import java.util.Arrays;

/**
 * Fuzzes the decoders that read attacker-chosen bytes: a signature's DER and a serialized identity's PEM. Whatever the
 * input, they return or throw their checked exception; what {@link EcdsaSignature#fromDer} accepts is the one strict
 * encoding of its value (it re-encodes to the same bytes); what {@link Pem#decodeStrict} accepts re-encodes to a block
 * that decodes to the same bytes (base64 with non-zero padding bits is accepted, as Go's {@code encoding/pem} accepts
 * it, so the input itself is not always the canonical block). Seeds are in {@code
 * src/test/resources/dev/dossier/crypto/CryptoFuzzTestInputs/<method>/}.
 */
class CryptoFuzzTest {
    private static final P256PublicKey KEY = P256PrivateKey.generate().publicKey();

    @FuzzTest
    void signatureDer(byte[] der) {
        EcdsaSignature signature;
        try {
            signature = EcdsaSignature.fromDer(der);
        } catch (SignatureException refused) {
            return;
        }
        assertThat(signature.toDer()).isEqualTo(der);
        try {
            KEY.verify(new byte[] {1}, der);
            throw new AssertionError("a fuzzed signature verified with a key the fuzzer does not know");
        } catch (SignatureException expected) {
            // high S or a failed equation
        }
    }

    @FuzzTest
    void strictPem(byte[] pem) {
        Pem.decodeStrict("CERTIFICATE", pem).ifPresent(der -> {
            String reencoded = Pem.encode("CERTIFICATE", der);
            String normalised =
                    new String(pem, US_ASCII).strip().replace("\r", "").replace("\n", "");
            assertThat(normalised).isEqualTo(reencoded.strip().replace("\n", ""));
            assertThat(Arrays.equals(
                            Pem.decodeStrict("CERTIFICATE", reencoded.getBytes(US_ASCII))
                                    .orElseThrow(),
                            der))
                    .isTrue();
        });
    }
}
