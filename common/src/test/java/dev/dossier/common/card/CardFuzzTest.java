package dev.dossier.common.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dossier.common.note.FixedKey;
import dev.dossier.common.verdict.Verdict;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes card decoding and verification against a trust file of one fixed key ({@link FixedKey}): whatever the
 * input, {@link CardVerifier#verify} returns a verdict with a reason and never throws; facts are shown only with a
 * verdict of a genuine card; and a card that verifies is the honest card the key signed (the only one it signed).
 * {@code text} takes the input as the card's text; {@code bytes} as the COSE bytes it encodes, so the fuzzer edits
 * the CBOR directly. Seeds, in {@code src/test/resources/dev/dossier/common/card/CardFuzzTestInputs/}, include the
 * honest card.
 */
class CardFuzzTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final TestSigner SIGNER = new TestSigner(new KeyPair(FixedKey.publicKey(), FixedKey.privateKey()));
    private static final CardVerifier VERIFIER =
            new CardVerifier(List.of(SIGNER.key("Org1MSP", LocalDate.of(2025, 1, 1), LocalDate.of(2027, 12, 31))));
    private static final Card HONEST =
            CardVerifierTest.card("Org1MSP", LocalDate.of(2028, 6, 1), Instant.parse("2025-06-02T10:00:00Z"));

    @FuzzTest
    void text(byte[] data) {
        check(new String(data, StandardCharsets.UTF_8));
    }

    @FuzzTest
    void bytes(byte[] data) {
        check(CardCodec.PREFIX + Base45.encode(data));
    }

    private static void check(String text) {
        CardCheck check = VERIFIER.verify(text, TODAY);
        assertThat(check.reason()).isNotBlank();
        if (check.card() != null) {
            assertThat(check.verdict()).isEqualTo(Verdict.VALID);
            assertThat(check.card()).isEqualTo(HONEST);
        }
    }

    @Test
    void honestSeed_verifies() throws Exception {
        try (InputStream in = CardFuzzTest.class.getResourceAsStream("CardFuzzTestInputs/text/honest")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            CardCheck check = VERIFIER.verify(text, TODAY);
            assertThat(check.verdict()).isEqualTo(Verdict.VALID);
            assertThat(check.card()).isEqualTo(HONEST);
        }
    }
}
