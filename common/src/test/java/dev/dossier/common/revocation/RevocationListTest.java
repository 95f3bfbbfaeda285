package dev.dossier.common.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.note.FixedKey;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RevocationListTest {
    static final String ORIGIN = "dossier/dossier/notary";
    static final TrustFile TRUST = FixedKey.trust(ORIGIN);

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    static long prefix(String hex) {
        return Long.parseUnsignedLong(hex.substring(0, 16), 16);
    }

    /** @return the list's wire form signed by {@link FixedKey} */
    static byte[] signed(RevocationList list) {
        try {
            return list.wire(SignedNote.parse(FixedKey.sign(list.headerText())));
        } catch (dev.dossier.common.note.NoteException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] signedBy(RevocationList list, String name, KeyPair pair) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        String text = list.headerText();
        signer.update(text.getBytes(StandardCharsets.UTF_8));
        NoteSignature line = new NoteSignature(name, NoteVerifier.keyId(pair.getPublic()), signer.sign());
        return list.wire(SignedNote.of(text, List.of(line)));
    }

    static RevocationList full() {
        return new RevocationList(
                ORIGIN, 3, 0, 10, 1_767_225_600L, new long[] {0x0111111111111111L, 0x8022222222222222L}, new long[] {
                    0xff33333333333333L
                });
    }

    @Test
    void headerText_isTheDocumentedLines() {
        String entriesDigest = java.util.Base64.getEncoder()
                .encodeToString(sha256(hex("0111111111111111" + "8022222222222222" + "ff33333333333333")));
        assertThat(full().headerText())
                .isEqualTo("dossier/revocations/v1\norigin dossier/dossier/notary\nversion 3\nsince 0\nheight 10\n"
                        + "time 1767225600\nprefix 8\nrevoked 2\nsuperseded 1\nentries " + entriesDigest + "\n");
    }

    @Test
    void signedList_readsBackWithItsEntries() throws Exception {
        byte[] wire = signed(full());
        RevocationList read = RevocationList.read(wire, TRUST);
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.since()).isZero();
        assertThat(read.height()).isEqualTo(10);
        assertThat(read.time()).hasToString("2026-01-01T00:00:00Z");
        assertThat(read.size()).isEqualTo(3);
        assertThat(read.statusOf(hex("01111111111111110000000000000000000000000000000000000000000000aa")))
                .isEqualTo(RevocationList.Status.REVOKED);
        assertThat(read.statusOf(hex("8022222222222222" + "ab".repeat(24)))).isEqualTo(RevocationList.Status.REVOKED);
        assertThat(read.statusOf(hex("ff33333333333333" + "00".repeat(24))))
                .isEqualTo(RevocationList.Status.SUPERSEDED);
        assertThat(read.statusOf(hex("8022222222222223" + "00".repeat(24)))).isNull();
        assertThat(read.statusOf(hex("00".repeat(32)))).isNull();
        // framing: 4-byte length, the note, 24 entry bytes
        int noteLength = java.nio.ByteBuffer.wrap(wire).getInt();
        assertThat(wire.length).isEqualTo(4 + noteLength + 24);
        assertThat(new String(wire, 4, noteLength, StandardCharsets.UTF_8)).startsWith("dossier/revocations/v1\n");
    }

    @Test
    void delta_appliesOnTheVersionItFollows() throws Exception {
        RevocationList base = RevocationList.read(signed(full()), TRUST);
        RevocationList delta = RevocationList.read(
                signed(new RevocationList(
                        ORIGIN,
                        5,
                        3,
                        12,
                        1_767_229_200L,
                        new long[] {0x7f44444444444444L, 0xff33333333333333L},
                        new long[] {0x8022222222222223L})),
                TRUST);
        RevocationList merged = base.applying(delta);
        assertThat(merged.version()).isEqualTo(5);
        assertThat(merged.since()).isZero();
        assertThat(merged.height()).isEqualTo(12);
        assertThat(merged.statusOf(hex("ff33333333333333" + "00".repeat(24))))
                .as("superseded, then revoked")
                .isEqualTo(RevocationList.Status.REVOKED);
        assertThat(merged.statusOf(hex("7f44444444444444" + "00".repeat(24)))).isEqualTo(RevocationList.Status.REVOKED);
        assertThat(merged.statusOf(hex("8022222222222223" + "00".repeat(24))))
                .isEqualTo(RevocationList.Status.SUPERSEDED);
        assertThat(merged.statusOf(hex("0111111111111111" + "00".repeat(24)))).isEqualTo(RevocationList.Status.REVOKED);
        assertThat(merged.revokedCount()).isEqualTo(4);

        assertThatThrownBy(() -> merged.applying(delta))
                .isInstanceOf(RevocationListException.class)
                .hasMessage("the delta follows version 3, but the list is at version 5: not applied; fetch the full"
                        + " list");
        RevocationList stored = RevocationList.readStored(merged.stored());
        assertThat(stored.version()).isEqualTo(5);
        assertThat(stored.statusOf(hex("7f44444444444444" + "00".repeat(24)))).isEqualTo(RevocationList.Status.REVOKED);
    }

    @Test
    void everyAlteredByte_isRefused() {
        byte[] wire = signed(full());
        for (int i = 0; i < wire.length; i++) {
            byte[] altered = wire.clone();
            altered[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> RevocationList.read(altered, TRUST))
                    .as("byte %d", at)
                    .isInstanceOf(RevocationListException.class);
        }
    }

    @Test
    void alteredEntry_saysSo() {
        byte[] wire = signed(full());
        wire[wire.length - 1] ^= 0x01;
        assertThatThrownBy(() -> RevocationList.read(wire, TRUST))
                .isInstanceOf(RevocationListException.class)
                .hasMessage("revocation list refused: the entries do not match the signed header's SHA-256 (altered)");
    }

    @Test
    void listOfAnUnknownKey_isRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] wire = signedBy(full(), "stranger", generator.generateKeyPair());
        assertThatThrownBy(() -> RevocationList.read(wire, TRUST))
                .isInstanceOf(RevocationListException.class)
                .hasMessageStartingWith("revocation list refused, it is not signed by a node of the trust file:")
                .hasMessageContaining("signed by 0 pinned key(s)");
        // the trusted key's name with another key: its signature line does not verify
        byte[] impostor = signedBy(full(), FixedKey.NAME, generator.generateKeyPair());
        assertThatThrownBy(() -> RevocationList.read(impostor, TRUST))
                .isInstanceOf(RevocationListException.class)
                .hasMessageContaining("signed by 0 pinned key(s)");
    }

    @Test
    void listOfAnotherLog_isRefused() {
        RevocationList other = new RevocationList("dossier/other/notary", 1, 0, 2, 0, new long[] {1}, new long[0]);
        assertThatThrownBy(() -> RevocationList.read(signed(other), TRUST))
                .isInstanceOf(RevocationListException.class)
                .hasMessageStartingWith(
                        "revocation list refused: it is of log dossier/other/notary, the trust file's is " + ORIGIN);
    }

    @Test
    void malformedInput_getsClearErrors() {
        assertThatThrownBy(() -> RevocationList.read(new byte[] {0, 0}, TRUST))
                .hasMessage("a revocation list starts with its header's 4-byte length");
        assertThatThrownBy(() -> RevocationList.read(new byte[] {0x7f, 0, 0, 0, 'x'}, TRUST))
                .hasMessageStartingWith("the revocation list's header length 2130706432 is not between 1 and");
        assertThatThrownBy(() -> new RevocationList(ORIGIN, 1, 0, 1, 0, new long[] {-1L, 1L}, new long[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the revoked entries are not sorted ascending without repeats at entry 1");
        assertThatThrownBy(() -> RevocationList.readStored(signed(full())))
                .isInstanceOf(RevocationListException.class)
                .hasMessageContaining("header of 10 lines");
    }

    @Test
    void hundredThousandRevokedCards_costAtMostOneMegabyte() throws Exception {
        Random random = new Random(13);
        long[] prefixes = random.longs(100_000).sorted().distinct().toArray();
        long[] sorted = java.util.Arrays.stream(prefixes)
                .map(p -> p ^ Long.MIN_VALUE)
                .sorted()
                .map(p -> p ^ Long.MIN_VALUE)
                .toArray();
        RevocationList list = new RevocationList(ORIGIN, 100_000, 0, 100_500, 1_767_225_600L, sorted, new long[0]);
        byte[] wire = signed(list);
        System.out.println("revocation list of " + sorted.length + " entries: " + wire.length + " bytes");
        assertThat(wire.length).isLessThanOrEqualTo(1 << 20);
        RevocationList read = RevocationList.read(wire, TRUST);
        assertThat(read.size()).isEqualTo(sorted.length);
        byte[] member = java.nio.ByteBuffer.allocate(32).putLong(sorted[4_321]).array();
        assertThat(read.statusOf(member)).isEqualTo(RevocationList.Status.REVOKED);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
