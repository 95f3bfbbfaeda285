package dev.dossier.common.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.card.CardKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustFileTest {
    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void vkey_roundTrips_andCarriesTheKeyId() throws Exception {
        NoteVerifier.Key key = new NoteVerifier.Key("org1-node1", p256().getPublic());
        String vkey = key.vkey();
        assertThat(vkey).startsWith("org1-node1+" + String.format("%08x", key.keyId()) + "+");
        NoteVerifier.Key parsed = NoteVerifier.Key.parse(vkey);
        assertThat(parsed.name()).isEqualTo("org1-node1");
        assertThat(parsed.publicKey().getEncoded()).isEqualTo(key.publicKey().getEncoded());
    }

    @Test
    void vkey_malformedOrWithAnotherKeysId_throws() throws Exception {
        String vkey = new NoteVerifier.Key("n", p256().getPublic()).vkey();
        String[] parts = vkey.split("\\+", 3);
        String otherId = parts[0] + "+" + (parts[1].equals("00000000") ? "00000001" : "00000000") + "+" + parts[2];
        assertThatThrownBy(() -> NoteVerifier.Key.parse(otherId)).hasMessageContaining("has key ID");
        assertThatThrownBy(() -> NoteVerifier.Key.parse("n+1234+AA==")).hasMessageContaining("8 hex key id");
        assertThatThrownBy(() -> NoteVerifier.Key.parse("n+12345678+AQID")).hasMessageContaining("type 0x02");
        assertThatThrownBy(() -> NoteVerifier.Key.parse("n+12345678+AgID")).hasMessageContaining("not an ECDSA");
        assertThatThrownBy(() -> NoteVerifier.Key.parse("n+12345678+!!")).hasMessageContaining("not base64");
    }

    @Test
    void format_parse_roundTrips_commentsAndBlankLinesIgnored() throws Exception {
        List<NoteVerifier.Key> keys = List.of(
                new NoteVerifier.Key("a", p256().getPublic()),
                new NoteVerifier.Key("b", p256().getPublic()),
                new NoteVerifier.Key("c", p256().getPublic()));
        TrustFile trust = TrustFile.majority("dossier/dossier/notary", keys);
        assertThat(trust.cosigners()).isEqualTo(2);
        TrustFile parsed = TrustFile.parse("# pinned\n\n" + trust.format().replace("\n", "\r\n"));
        assertThat(parsed.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(parsed.cosigners()).isEqualTo(2);
        assertThat(parsed.keys()).extracting(NoteVerifier.Key::name).containsExactly("a", "b", "c");
        assertThat(parsed.format()).isEqualTo(trust.format());
        assertThat(parsed.verifier().required()).isEqualTo(2);
        assertThat(TrustFile.majority("o", keys.subList(0, 1)).cosigners()).isEqualTo(1);
    }

    @Test
    void parse_malformed_namesTheProblem() throws Exception {
        String key = new NoteVerifier.Key("a", p256().getPublic()).vkey();
        assertThatThrownBy(() -> TrustFile.parse("cosigners 1\n" + key)).hasMessageContaining("no origin");
        assertThatThrownBy(() -> TrustFile.parse("origin o\n" + key)).hasMessageContaining("no cosigners");
        assertThatThrownBy(() -> TrustFile.parse("origin o\ncosigners 2\n" + key))
                .hasMessageContaining("cosigners 2 not in [1, 1]");
        assertThatThrownBy(() -> TrustFile.parse("origin o\ncosigners x\n" + key))
                .hasMessageContaining("line 2: cosigners is not a number");
        assertThatThrownBy(() -> TrustFile.parse("origin o\ncosigners 1\n" + key + "\ngarbage"))
                .hasMessageContaining("line 4:");
        assertThatThrownBy(() -> TrustFile.parse("origin o\ncosigners 1\n" + key + "\n" + key))
                .hasMessageContaining("two keys are named a");
    }

    @Test
    void cardKeys_roundTrip_andABadLineIsNamed() throws Exception {
        CardKey first = new CardKey(
                "Org1MSP",
                LocalDate.of(2025, 1, 1),
                LocalDate.of(2026, 12, 31),
                p256().getPublic().getEncoded());
        CardKey rotated = new CardKey(
                "Org1MSP",
                LocalDate.of(2026, 7, 1),
                LocalDate.of(2028, 12, 31),
                p256().getPublic().getEncoded());
        TrustFile trust = TrustFile.majority("o", List.of(new NoteVerifier.Key("a", p256().getPublic())))
                .withCardKeys(List.of(first, rotated));
        String text = trust.format();
        assertThat(text).contains("\ncard Org1MSP " + first.keyIdHex() + " 2025-01-01 2026-12-31 MFkw");
        TrustFile parsed = TrustFile.parse(text);
        assertThat(parsed).isEqualTo(trust);
        assertThat(parsed.cardKeys()).containsExactly(first, rotated);
        String wrongId = text.replace(first.keyIdHex(), "0000000000000000");
        assertThatThrownBy(() -> TrustFile.parse(wrongId))
                .hasMessageContaining("line 4: key id 0000000000000000 is not the key's");
        assertThatThrownBy(() -> TrustFile.parse(text + first.line() + "\n"))
                .hasMessageContaining("two card keys have the key id " + first.keyIdHex());
        assertThatThrownBy(() -> TrustFile.parse(text.replace("2025-01-01", "2025-13-01")))
                .hasMessageContaining("not YYYY-MM-DD");
        assertThatThrownBy(() -> TrustFile.parse(text.replace(" 2026-12-31 ", " 2024-12-31 ")))
                .hasMessageContaining("before it is valid from");
        assertThatThrownBy(() -> TrustFile.parse("origin o\ncosigners 1\n" + "card Org1MSP x"))
                .hasMessageContaining("a card key line is");
    }

    @Test
    void earlierKeySets_roundTrip_inTheirOrder() throws Exception {
        NoteVerifier.Key a = new NoteVerifier.Key("a", p256().getPublic());
        NoteVerifier.Key b = new NoteVerifier.Key("b", p256().getPublic());
        NoteVerifier.Key c = new NoteVerifier.Key("c", p256().getPublic());
        TrustFile trust = TrustFile.majority("o", List.of(a, b, c))
                .withEarlier(List.of(
                        new TrustFile.Earlier(0, 1, List.of(a)), new TrustFile.Earlier(1200, 2, List.of(a, b, c))));
        String text = trust.format();
        assertThat(text)
                .endsWith("\nearlier 0 1 " + a.vkey() + "\nearlier 1200 2 " + a.vkey() + " " + b.vkey() + " " + c.vkey()
                        + "\n");
        TrustFile parsed = TrustFile.parse(text.replace("earlier 1200 2 ", "earlier  1200   2  "));
        assertThat(parsed).isEqualTo(trust);
        assertThat(parsed.earlier()).extracting(TrustFile.Earlier::maxSize).containsExactly(0L, 1200L);
        assertThat(parsed.earlier().get(1).keys())
                .extracting(NoteVerifier.Key::name)
                .containsExactly("a", "b", "c");
    }

    @Test
    void earlierKeySets_malformed_namesTheLineAndTheProblem() throws Exception {
        String a = new NoteVerifier.Key("a", p256().getPublic()).vkey();
        String b = new NoteVerifier.Key("b", p256().getPublic()).vkey();
        String head = "origin o\ncosigners 1\n" + a + "\n";
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 10 0 " + a))
                .hasMessageContaining("line 4: earlier key set: cosigners is not a positive number: 0");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 10 3 " + a + " " + b))
                .hasMessageContaining("line 4: earlier key set: cosigners 3 not in [1, 2]");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 010 1 " + a))
                .hasMessageContaining("earlier key set: size is not a number: 010");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier -1 1 " + a))
                .hasMessageContaining("size is not a number: -1");
        assertThat(TrustFile.parse(head + "earlier 9007199254740991 1 " + a)
                        .earlier()
                        .get(0)
                        .maxSize())
                .isEqualTo(9_007_199_254_740_991L);
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 9007199254740992 1 " + a))
                .hasMessageContaining("size 9007199254740992 not in [0, 2^53 - 1]");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 10 1"))
                .hasMessageContaining("line 4: not 'earlier <max size> <cosigners> <key>...'");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 10 1 " + a + " " + a))
                .hasMessageContaining("earlier key set: two keys are named a");
        assertThatThrownBy(() -> TrustFile.parse(head + "earlier 10 1 a+12345678+AQID"))
                .hasMessageContaining("line 4:")
                .hasMessageContaining("type 0x02");
    }
}
