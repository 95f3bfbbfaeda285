package dev.dossier.common.card;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.verdict.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardVerifierTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);
    private static final TestSigner SIGNER = new TestSigner();
    private static final CardKey KEY = SIGNER.key("Org1MSP", LocalDate.of(2025, 1, 1), LocalDate.of(2027, 12, 31));
    private static final CardVerifier VERIFIER = new CardVerifier(List.of(KEY));

    static Card card(String issuer, LocalDate validUntil, Instant issuedAt) {
        byte[] commitment = new byte[32];
        commitment[0] = 0x3f;
        return new Card(
                "Maria Grazia",
                "Esposito Bianchi",
                LocalDate.of(1985, 4, 12),
                "SIC-PS",
                "Addetto primo soccorso gruppo B/C",
                "primo_soccorso",
                "12",
                LocalDate.of(2025, 5, 28),
                LocalDate.of(2025, 6, 1),
                validUntil,
                "Scuola Edile di Roma",
                issuer,
                issuedAt,
                commitment);
    }

    static Card card() {
        return card("Org1MSP", LocalDate.of(2028, 6, 1), Instant.parse("2025-06-02T10:00:00Z"));
    }

    @Test
    void genuineCard_isValidWithItsFacts() {
        String text = SIGNER.sign(card());
        assertThat(text).startsWith("DC1:").matches("[0-9A-Z $%*+\\-./:]+");
        CardCheck check = VERIFIER.verify(text, TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.VALID);
        assertThat(check.card()).isEqualTo(card());
        assertThat(check.card().givenName()).isEqualTo("Maria Grazia");
        assertThat(check.key()).isEqualTo(KEY);
        assertThat(check.reason()).isEqualTo("genuine, signed by Org1MSP on 2025-06-02, valid until 2028-06-01");
        assertThat(check.digest()).isEqualTo(CardVerifier.digest(text));
        assertThat(VERIFIER.verify("  " + text + "\n", TODAY).verdict()).isEqualTo(Verdict.VALID);
    }

    @Test
    void protectedHeader_isAlgEs256AndTheKeyId() {
        CardCodec.Cose cose = CardCodec.decode(SIGNER.sign(card()));
        byte[] expected = new byte[13];
        System.arraycopy(new byte[] {(byte) 0xa2, 0x01, 0x26, 0x04, 0x48}, 0, expected, 0, 5);
        System.arraycopy(SIGNER.keyId(), 0, expected, 5, 8);
        assertThat(cose.protectedHeader()).isEqualTo(expected);
        assertThat(cose.bytes()[0]).isEqualTo((byte) 0xd2); // tag 18
    }

    @Test
    void everySingleByteChange_isTamperedOrAnUnknownKeyId() {
        String text = SIGNER.sign(card());
        byte[] bytes = Base45.decode(text.substring(4));
        int keyIdAt = indexOf(bytes, SIGNER.keyId());
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            for (int flip : new int[] {0x01, 0xff}) {
                byte[] changed = bytes.clone();
                changed[i] ^= (byte) flip;
                CardCheck check = VERIFIER.verify("DC1:" + Base45.encode(changed), TODAY);
                boolean inKeyId = i >= keyIdAt && i < keyIdAt + 8;
                Verdict expected = inKeyId ? Verdict.UNKNOWN_SIGNER : Verdict.TAMPERED;
                if (check.verdict() != expected || check.card() != null) {
                    accepted.add(i + "^" + flip + ": " + check.verdict() + " " + check.reason());
                }
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void everyCharacterChange_isNeverValid() {
        String text = SIGNER.sign(card());
        for (int i = 0; i < text.length(); i++) {
            {
                char c = text.charAt(i) == '0' ? ':' : '0';
                String changed = text.substring(0, i) + c + text.substring(i + 1);
                CardCheck check = VERIFIER.verify(changed, TODAY);
                assertThat(check.verdict()).as(changed).isIn(Verdict.TAMPERED, Verdict.UNKNOWN_SIGNER);
                assertThat(check.card()).isNull();
            }
        }
    }

    @Test
    void unknownKey_isUnknownSigner() {
        TestSigner other = new TestSigner();
        CardCheck check = VERIFIER.verify(other.sign(card()), TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(check.reason()).contains("which the trust file does not list");
        assertThat(check.card()).isNull();
    }

    @Test
    void signedOutsideTheKeysValidity_isUnknownSigner() {
        CardCheck check =
                VERIFIER.verify(SIGNER.sign(card("Org1MSP", null, Instant.parse("2028-01-01T00:00:00Z"))), TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(check.reason()).contains("may sign only from 2025-01-01 to 2027-12-31");
    }

    @Test
    void cardNamingAnotherIssuer_isUnknownSigner() {
        CardCheck check =
                VERIFIER.verify(SIGNER.sign(card("Org2MSP", null, Instant.parse("2025-06-02T10:00:00Z"))), TODAY);
        assertThat(check.verdict()).isEqualTo(Verdict.UNKNOWN_SIGNER);
        assertThat(check.reason()).contains("names Org2MSP as its issuer, but Org1MSP's key");
    }

    @Test
    void pastValidUntil_isExpired_andTheDayItselfIsValid() {
        String text = SIGNER.sign(card("Org1MSP", LocalDate.of(2026, 3, 1), Instant.parse("2025-06-02T10:00:00Z")));
        assertThat(VERIFIER.verify(text, TODAY).verdict()).isEqualTo(Verdict.VALID);
        CardCheck expired = VERIFIER.verify(text, TODAY.plusDays(1));
        assertThat(expired.verdict()).isEqualTo(Verdict.EXPIRED);
        assertThat(expired.card()).isNotNull();
        assertThat(expired.reason()).contains("valid only until 2026-03-01");
    }

    @Test
    void notACard_isTamperedSayingWhy() {
        assertThat(VERIFIER.verify("", TODAY).reason()).isEqualTo("not a card: it does not start with DC1:");
        assertThat(VERIFIER.verify("DC2:ABC", TODAY).reason()).contains("card format DC2 is not DC1:");
        assertThat(VERIFIER.verify("DC1:A", TODAY).reason()).contains("3n + 1");
        assertThat(VERIFIER.verify("DC1:" + "0".repeat(5000), TODAY).reason()).contains("longer than");
        assertThat(VERIFIER.verify("DC1:" + Base45.encode(Cbor.encode(List.of(1L))), TODAY)
                        .reason())
                .contains("tag 18");
    }

    @Test
    void withLedger_needsBothEntriesOfTheIssuer_andTakesTheirStatus() {
        CardCheck offline = VERIFIER.verify(SIGNER.sign(card()), TODAY);
        LedgerEntry active = entry("Org1MSP");
        LedgerEntry other = entry("Org2MSP");
        assertThat(CardVerifier.withLedger(offline, active, active).verdict()).isEqualTo(Verdict.VALID);
        assertThat(CardVerifier.withLedger(offline, active, active).online()).isTrue();
        assertThat(CardVerifier.withLedger(offline, null, active).reason()).contains("never anchored");
        assertThat(CardVerifier.withLedger(offline, other, active).verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(CardVerifier.withLedger(offline, active, null).verdict()).isEqualTo(Verdict.NOT_FOUND);
        CardCheck foreign = CardVerifier.withLedger(offline, active, other);
        assertThat(foreign.verdict()).isEqualTo(Verdict.NOT_FOUND);
        assertThat(foreign.reason()).contains("only for its own records");
        CardCheck revoked = CardVerifier.withLedger(offline, active, active.revoked("fraud", "2025-02-01T00:00:00Z"));
        assertThat(revoked.verdict()).isEqualTo(Verdict.REVOKED);
        assertThat(revoked.reason()).isEqualTo("the record was revoked by Org1MSP (fraud)");
        assertThat(CardVerifier.withLedger(offline, active.revoked(null, "2025-02-01T00:00:00Z"), active)
                        .verdict())
                .isEqualTo(Verdict.REVOKED);
        assertThat(CardVerifier.withLedger(offline, active, active.supersededBy("ab"))
                        .verdict())
                .isEqualTo(Verdict.SUPERSEDED);
        CardCheck unknown = VERIFIER.verify(new TestSigner().sign(card()), TODAY);
        assertThat(CardVerifier.withLedger(unknown, active, active)).isSameAs(unknown);
    }

    /** An active entry anchored by {@code mspId}, as a node's {@code /v1/status} gives it. */
    private static LedgerEntry entry(String mspId) {
        return LedgerEntry.anchored("00".repeat(32), "card", 1, null, null, mspId, null, "2025-01-01T00:00:00Z");
    }

    @Test
    void cutTitle_keepsSixtyCharacters() {
        assertThat(Card.cutTitle(" Short title ")).isEqualTo("Short title");
        String sixty = "x".repeat(60);
        assertThat(Card.cutTitle(sixty)).isEqualTo(sixty);
        assertThat(Card.cutTitle("y".repeat(61))).isEqualTo("y".repeat(59) + "…");
        assertThat(Card.cutTitle("\uD83D\uDE00".repeat(61))).isEqualTo("\uD83D\uDE00".repeat(59) + "…");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("key id not in the card");
    }

    @Test
    void signedCardWithoutARequiredFact_isTampered_notAnException() {
        for (long fact : new long[] {1, 2, 5, 9, 11}) {
            Map<Long, Object> claims = card().claims();
            @SuppressWarnings("unchecked")
            Map<Long, Object> facts = new java.util.LinkedHashMap<>((Map<Long, Object>) claims.get(-65537L));
            facts.remove(fact);
            claims.put(-65537L, facts);
            CardCheck check = VERIFIER.verify(SIGNER.signClaims(CardCodec.PREFIX, claims), TODAY);
            assertThat(check.verdict()).as("without fact " + fact).isEqualTo(Verdict.TAMPERED);
            assertThat(check.reason()).as("without fact " + fact).contains("is missing");
        }
    }
}
