package dev.dossier.common.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.merkle.ReferenceTree;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReceiptTest {
    private static final String ORIGIN = "dossier/dossier/notary";
    private static final long TIME = 1_795_000_000L;
    private static final int SIZE = 7;
    private static final int INDEX = 4;

    private static final List<byte[]> COMMITMENTS = new ArrayList<>();
    private static final List<byte[]> ENTRIES = new ArrayList<>();
    private static final List<byte[]> LEAF_HASHES = new ArrayList<>();
    private static KeyPair[] nodes;
    private static TrustFile trust;

    @BeforeAll
    static void log() throws Exception {
        for (int i = 0; i < SIZE; i++) {
            byte[] commitment = MessageDigest.getInstance("SHA-256").digest(new byte[] {(byte) i});
            byte[] entry = ("{\"commitment\":\"" + HexFormat.of().formatHex(commitment)
                            + "\",\"mspId\":\"Org1MSP\",\"validUntil\":\"2031-05-0" + i + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            COMMITMENTS.add(commitment);
            ENTRIES.add(entry);
            LEAF_HASHES.add(Rfc9162.leafHash(Receipt.leafData(commitment, entry)));
        }
        nodes = new KeyPair[] {p256(), p256(), p256()};
        trust = new TrustFile(
                ORIGIN,
                2,
                List.of(
                        new NoteVerifier.Key("org1-node1", nodes[0].getPublic()),
                        new NoteVerifier.Key("org2-node1", nodes[1].getPublic()),
                        new NoteVerifier.Key("org3-node1", nodes[2].getPublic())));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String note(String origin, long size, byte[] root, int... signers) throws Exception {
        String text = new Checkpoint(origin, size, root, TIME).text();
        List<NoteSignature> signatures = new ArrayList<>();
        for (int i : signers) {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(nodes[i].getPrivate());
            signer.update(text.getBytes(StandardCharsets.UTF_8));
            signatures.add(new NoteSignature(
                    trust.keys().get(i).name(), NoteVerifier.keyId(nodes[i].getPublic()), signer.sign()));
        }
        return SignedNote.of(text, signatures).format();
    }

    private static Receipt receipt(int index, int... signers) throws Exception {
        return Receipt.of(
                COMMITMENTS.get(index),
                index,
                SIZE,
                ReferenceTree.path(index, LEAF_HASHES),
                ENTRIES.get(index),
                note(ORIGIN, SIZE, ReferenceTree.mth(LEAF_HASHES), signers));
    }

    @Test
    void verify_everyLeafOfACosignedCheckpoint_provesCommitmentEntryAndTime() throws Exception {
        for (int i = 0; i < SIZE; i++) {
            VerifiedReceipt verified = Receipt.decode(receipt(i, 0, 2).encode()).verify(trust);
            assertThat(verified.commitment()).isEqualTo(HexFormat.of().formatHex(COMMITMENTS.get(i)));
            assertThat(verified.entry()).isEqualTo(new String(ENTRIES.get(i), StandardCharsets.UTF_8));
            assertThat(verified.checkpoint().size()).isEqualTo(SIZE);
            assertThat(verified.checkpoint().time()).isEqualTo(TIME);
            assertThat(verified.signers()).containsExactlyInAnyOrder("org1-node1", "org3-node1");
        }
    }

    @Test
    void encode_decode_roundTripsEveryField() throws Exception {
        Receipt receipt = receipt(INDEX, 0, 1);
        String text = receipt.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+");
        Receipt decoded = Receipt.decode(text);
        assertThat(decoded.commitment()).isEqualTo(receipt.commitment());
        assertThat(decoded.leafIndex()).isEqualTo(INDEX);
        assertThat(decoded.treeSize()).isEqualTo(SIZE);
        assertThat(decoded.proof()).hasSameSizeAs(receipt.proof());
        for (int i = 0; i < receipt.proof().size(); i++) {
            assertThat(decoded.proof().get(i)).isEqualTo(receipt.proof().get(i));
        }
        assertThat(decoded.entry()).isEqualTo(receipt.entry());
        assertThat(decoded.checkpoint()).isEqualTo(receipt.checkpoint());
        assertThat(decoded.leafFormat()).isEqualTo(Receipt.CURRENT_VERSION).isEqualTo(2);
        assertThat(decoded.encode()).isEqualTo(text);
    }

    @Test
    void decode_legacyVersion1_verifiesAgainstItsCheckpoint_andSaysItsLeafFormat() throws Exception {
        byte[] raw = Base64.getUrlDecoder().decode(receipt(INDEX, 0, 1).encode());
        assertThat(raw[0]).isEqualTo((byte) 2);
        raw[0] = 1;
        Receipt legacy = Receipt.decode(encode(raw));

        VerifiedReceipt verified = legacy.verify(trust);

        assertThat(legacy.leafFormat()).isEqualTo(Receipt.LEGACY_VERSION);
        assertThat(verified.leafFormat()).isEqualTo(1);
        assertThat(legacy.encode()).isEqualTo(encode(raw));
    }

    @Test
    void verify_tooFewCosigners_throws() throws Exception {
        assertThatThrownBy(() -> receipt(INDEX, 1).verify(trust))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("checkpoint:")
                .hasMessageContaining("2 required");
    }

    @Test
    void verify_alteredEntry_failsTheInclusionProof() throws Exception {
        byte[] entry = ENTRIES.get(INDEX).clone();
        entry[entry.length - 4] ^= 1; // another validUntil
        Receipt altered = Receipt.of(
                COMMITMENTS.get(INDEX),
                INDEX,
                SIZE,
                ReferenceTree.path(INDEX, LEAF_HASHES),
                entry,
                receipt(INDEX, 0, 1).checkpoint());
        assertThatThrownBy(() -> altered.verify(trust)).hasMessageStartingWith("inclusion proof:");
    }

    @Test
    void verify_otherCommitmentOrIndexOrProof_throws() throws Exception {
        Receipt good = receipt(INDEX, 0, 1);
        List<Receipt> bad = List.of(
                Receipt.of(COMMITMENTS.get(3), INDEX, SIZE, good.proof(), good.entry(), good.checkpoint()),
                Receipt.of(good.commitment(), INDEX + 1, SIZE, good.proof(), good.entry(), good.checkpoint()),
                Receipt.of(good.commitment(), INDEX, SIZE, flipped(good.proof()), good.entry(), good.checkpoint()),
                Receipt.of(
                        good.commitment(),
                        INDEX,
                        SIZE,
                        good.proof().subList(0, good.proof().size() - 1),
                        good.entry(),
                        good.checkpoint()));
        for (Receipt receipt : bad) {
            assertThatThrownBy(() -> receipt.verify(trust))
                    .as(receipt.toString())
                    .hasMessageStartingWith("inclusion proof:");
        }
    }

    @Test
    void verify_treeSizeOtherThanTheCheckpoints_throws() throws Exception {
        Receipt good = receipt(INDEX, 0, 1);
        Receipt bigger = Receipt.of(good.commitment(), INDEX, SIZE + 1, good.proof(), good.entry(), good.checkpoint());
        assertThatThrownBy(() -> bigger.verify(trust)).hasMessageContaining("differs from its checkpoint's size 7");
    }

    @Test
    void verify_checkpointOfAnotherLog_throws() throws Exception {
        Receipt good = receipt(INDEX, 0, 1);
        Receipt other = Receipt.of(
                good.commitment(),
                INDEX,
                SIZE,
                good.proof(),
                good.entry(),
                note("dossier/other/notary", SIZE, ReferenceTree.mth(LEAF_HASHES), 0, 1));
        assertThatThrownBy(() -> other.verify(trust)).hasMessageContaining("not of " + ORIGIN);
    }

    @Test
    void verify_tamperedCheckpointText_throws() throws Exception {
        Receipt good = receipt(INDEX, 0, 1);
        Receipt moved = Receipt.of(
                good.commitment(),
                INDEX,
                SIZE,
                good.proof(),
                good.entry(),
                good.checkpoint().replace("time " + TIME, "time " + (TIME + 86_400)));
        assertThatThrownBy(() -> moved.verify(trust)).hasMessageContaining("does not verify");
    }

    @Test
    void decode_malformed_throwsWithTheReason() throws Exception {
        byte[] raw = Base64.getUrlDecoder().decode(receipt(INDEX, 0, 1).encode());
        assertThatThrownBy(() -> Receipt.decode("not base64!")).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> Receipt.decode(encode(java.util.Arrays.copyOf(raw, raw.length - 1))))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Receipt.decode(encode(java.util.Arrays.copyOf(raw, raw.length + 1))))
                .hasMessageContaining("1 bytes after");
        byte[] version = raw.clone();
        version[0] = 3;
        assertThatThrownBy(() -> Receipt.decode(encode(version))).hasMessageContaining("version 3");
        byte[] longProof = raw.clone();
        longProof[1 + 32 + 16] = 64;
        assertThatThrownBy(() -> Receipt.decode(encode(longProof))).hasMessageContaining("64 proof hashes");
        assertThatThrownBy(() -> Receipt.decode("")).hasMessageContaining("truncated");
    }

    private static String encode(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static List<byte[]> flipped(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] first = out.get(0).clone();
        first[7] ^= 0x08;
        out.set(0, first);
        return out;
    }

    @Test
    void verify_checkpointOfTheConsortiumBeforeAChange_verifiesWithItsEarlierKeySet_upToItsSize() throws Exception {
        // after the change: org1 and org3's nodes and a new one, all three must sign; before it org1 and org2's nodes
        // signed 2 of 2, org2's node since voted out
        NoteVerifier.Key newcomer = new NoteVerifier.Key("org4-node1", p256().getPublic());
        List<NoteVerifier.Key> before =
                List.of(trust.keys().get(0), trust.keys().get(1));
        TrustFile after = new TrustFile(
                ORIGIN, 3, List.of(trust.keys().get(0), trust.keys().get(2), newcomer));
        Receipt signedBefore = receipt(INDEX, 0, 1);

        assertThatThrownBy(() -> signedBefore.verify(after))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("3 required");
        VerifiedReceipt verified =
                signedBefore.verify(after.withEarlier(List.of(new TrustFile.Earlier(SIZE, 2, before))));
        assertThat(verified.signers()).containsExactlyInAnyOrder("org1-node1", "org2-node1");
        assertThat(verified.checkpoint().size()).isEqualTo(SIZE);

        assertThatThrownBy(() ->
                        signedBefore.verify(after.withEarlier(List.of(new TrustFile.Earlier(SIZE - 1, 2, before)))))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("3 required")
                .hasMessageContaining("nor by an earlier key set of the consortium (none covers a checkpoint of 7");
        assertThatThrownBy(() ->
                        receipt(INDEX, 0).verify(after.withEarlier(List.of(new TrustFile.Earlier(SIZE, 2, before)))))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("(1 covers a checkpoint of 7 leaves)");
    }

    @Test
    void verify_earlierKeySets_triedInTurn_andTheKeysInForceStillSuffice() throws Exception {
        List<NoteVerifier.Key> org1Alone = List.of(trust.keys().get(0));
        List<NoteVerifier.Key> org2And3 =
                List.of(trust.keys().get(1), trust.keys().get(2));
        TrustFile withEarlier = trust.withEarlier(
                List.of(new TrustFile.Earlier(SIZE, 1, org1Alone), new TrustFile.Earlier(SIZE, 2, org2And3)));

        assertThat(receipt(INDEX, 1, 2).verify(withEarlier).signers())
                .containsExactlyInAnyOrder("org2-node1", "org3-node1");
        assertThat(receipt(INDEX, 0).verify(withEarlier).signers()).containsExactly("org1-node1");
        assertThatThrownBy(() -> receipt(INDEX, 2).verify(withEarlier))
                .isInstanceOf(ReceiptException.class)
                .hasMessageContaining("(2 cover a checkpoint of 7 leaves)");
    }
}
