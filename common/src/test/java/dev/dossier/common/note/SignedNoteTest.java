package dev.dossier.common.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedNoteTest {
    private static final byte[] ROOT = sha256("root");

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static NoteSignature sign(String name, KeyPair pair, String text) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(text.getBytes(StandardCharsets.UTF_8));
        return new NoteSignature(name, NoteVerifier.keyId(pair.getPublic()), signer.sign());
    }

    @Test
    void checkpoint_text_isOriginSizeAndBase64Root() throws Exception {
        Checkpoint checkpoint = new Checkpoint("dossier/dossier/notary", 42, ROOT, 1_795_000_000L);
        String root = Base64.getEncoder().encodeToString(ROOT);
        assertThat(checkpoint.text()).isEqualTo("dossier/dossier/notary\n42\n" + root + "\ntime 1795000000\n");
        assertThat(Checkpoint.parse(checkpoint.text())).isEqualTo(checkpoint);
        assertThat(Checkpoint.parse(checkpoint.text() + "ext line\n")).isEqualTo(checkpoint);
        assertThat(Checkpoint.origin("dossier", "notary")).isEqualTo("dossier/dossier/notary");
        assertThatThrownBy(() -> Checkpoint.parse("o\n042\n" + root + "\ntime 1\n"))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("size is not canonical");
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\nAAAA\ntime 1\n")).hasMessageContaining("want 32");
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\n" + root + "\n")).hasMessageContaining("a time line");
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\n" + root + "\nwhen 1\n"))
                .hasMessageContaining("no time line");
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\n" + root + "\ntime -1\n"))
                .hasMessageContaining("time is not canonical");
    }

    @Test
    void keyId_isFirstFourBytesOfSha256OfTheSpki() throws Exception {
        KeyPair pair = p256();
        byte[] hash =
                MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded());
        int expected = ((hash[0] & 0xff) << 24) | ((hash[1] & 0xff) << 16) | ((hash[2] & 0xff) << 8) | (hash[3] & 0xff);
        assertThat(NoteVerifier.keyId(pair.getPublic())).isEqualTo(expected);
    }

    @Test
    void cosignedCheckpoint_roundTripsAndVerifies_withTheRequiredNumberOfPinnedKeys() throws Exception {
        KeyPair a = p256();
        KeyPair b = p256();
        KeyPair c = p256();
        String text = new Checkpoint("dossier.local/dossier/notary", 7, ROOT, 1_795_000_000L).text();
        SignedNote note = SignedNote.of(text, List.of(sign("node0.org1", a, text), sign("node0.org2", b, text)));

        SignedNote parsed = SignedNote.parse(note.format());
        assertThat(parsed.text()).isEqualTo(text);
        assertThat(parsed.signatures()).isEqualTo(note.signatures());
        List<NoteVerifier.Key> pinned = List.of(
                new NoteVerifier.Key("node0.org1", a.getPublic()),
                new NoteVerifier.Key("node0.org2", b.getPublic()),
                new NoteVerifier.Key("node0.org3", c.getPublic()));

        assertThat(new NoteVerifier(pinned, 2).verify(parsed)).containsExactlyInAnyOrder("node0.org1", "node0.org2");
        assertThatThrownBy(() -> new NoteVerifier(pinned, 3).verify(parsed))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("3 required");
    }

    @Test
    void tamperedText_orForgedSignatureOfAPinnedKey_isRejected_unknownKeysAreIgnored() throws Exception {
        KeyPair a = p256();
        KeyPair stranger = p256();
        String text = new Checkpoint("origin", 7, ROOT, 1_795_000_000L).text();
        List<NoteVerifier.Key> pinned = List.of(new NoteVerifier.Key("node0.org1", a.getPublic()));
        NoteVerifier verifier = new NoteVerifier(pinned, 1);

        String tampered = new Checkpoint("origin", 8, ROOT, 1_795_000_000L).text();
        SignedNote moved = SignedNote.of(tampered, List.of(sign("node0.org1", a, text)));
        assertThatThrownBy(() -> verifier.verify(moved)).hasMessageContaining("does not verify");

        // A stranger's key under the pinned name has another key ID: ignored, so nothing pinned signed.
        SignedNote forged = SignedNote.of(text, List.of(sign("node0.org1", stranger, text)));
        assertThatThrownBy(() -> verifier.verify(forged)).hasMessageContaining("0 pinned key(s)");

        SignedNote both = SignedNote.of(text, List.of(sign("other.log", stranger, text), sign("node0.org1", a, text)));
        assertThat(verifier.verify(SignedNote.parse(both.format()))).containsExactly("node0.org1");
    }

    @Test
    void parse_malformedNotes_throw() {
        List<String> malformed = new ArrayList<>(List.of(
                "no blank line\n— a AAAAAAAA\n",
                "text\n\n— a AAAAAAAA",
                "text\n\n- a AAAAAAAAAA==\n",
                "text\n\n— a not-base64!\n",
                "text\n\n— a AAAA\n",
                "te\u0001xt\n\n— a AAAAAAAAAA==\n",
                "text\n\n— a b AAAAAAAAAA==\n"));
        for (String note : malformed) {
            assertThatThrownBy(() -> SignedNote.parse(note)).as(note).isInstanceOf(NoteException.class);
        }
    }

    @Test
    void signatureWithUnusedBitsSet_isRefused_soANoteHasOneText() throws Exception {
        // "AAAAAAAAAA==" and "AAAAAAAAAB==" decode to the same 7 zero bytes: the second sets an unused bit
        assertThat(SignedNote.parse("text\n\n— a AAAAAAAAAA==\n").signatures()).hasSize(1);
        assertThatThrownBy(() -> SignedNote.parse("text\n\n— a AAAAAAAAAB==\n"))
                .isInstanceOf(NoteException.class)
                .hasMessage("signature of a is not canonical base64");
    }

    @Test
    void checkpointRootWithUnusedBitsSet_isRefused() throws Exception {
        String root = Base64.getEncoder().encodeToString(ROOT); // 44 characters, the last before '=' has 2 unused bits
        char last = root.charAt(42);
        String alias = root.substring(0, 42) + (char) (last + 1) + "=";
        assertThat(Base64.getDecoder().decode(alias)).isEqualTo(ROOT);
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\n" + alias + "\ntime 1\n"))
                .isInstanceOf(NoteException.class)
                .hasMessageContaining("not canonical base64");
    }
}
