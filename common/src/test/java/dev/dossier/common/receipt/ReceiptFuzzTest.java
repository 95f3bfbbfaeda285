package dev.dossier.common.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dossier.common.merkle.ReferenceTree;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.FixedKey;
import dev.dossier.common.note.TrustFile;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes receipt decoding and offline verification against a fixed trust file (one pinned key, {@link FixedKey}):
 * whatever the input, {@link Receipt#decode} and {@link Receipt#verify} return or throw {@link ReceiptException}; a
 * decoded receipt survives re-encoding; and a receipt that verifies is one of the leaves of the log the key signed,
 * at its index. {@code text} takes the input as the compact text; {@code bytes} as the bytes it encodes, so the fuzzer
 * edits the layout directly. Seeds, in {@code src/test/resources/dev/dossier/common/receipt/ReceiptFuzzTestInputs/},
 * include the honest receipts {@link #honest(int)} of leaves 0 and 4.
 */
class ReceiptFuzzTest {
    static final String ORIGIN = "dossier/dossier/notary";
    static final int SIZE = 5;
    static final long TIME = 1_795_000_000L;
    private static final TrustFile TRUST = FixedKey.trust(ORIGIN);
    private static final List<byte[]> COMMITMENTS = new ArrayList<>();
    private static final List<byte[]> ENTRIES = new ArrayList<>();
    private static final List<byte[]> LEAF_HASHES = new ArrayList<>();

    static {
        for (int i = 0; i < SIZE; i++) {
            byte[] commitment = Rfc9162.leafHash(new byte[] {(byte) i});
            byte[] entry = ("{\"commitment\":\"" + HexFormat.of().formatHex(commitment) + "\",\"mspId\":\"Org1MSP\"}")
                    .getBytes(StandardCharsets.UTF_8);
            COMMITMENTS.add(commitment);
            ENTRIES.add(entry);
            LEAF_HASHES.add(Rfc9162.leafHash(Receipt.leafData(commitment, entry)));
        }
    }

    @FuzzTest
    void text(byte[] data) {
        decodeAndVerify(new String(data, StandardCharsets.UTF_8));
    }

    @FuzzTest
    void bytes(byte[] data) {
        decodeAndVerify(Base64.getUrlEncoder().withoutPadding().encodeToString(data));
    }

    private static void decodeAndVerify(String text) {
        Receipt receipt;
        try {
            receipt = Receipt.decode(text);
        } catch (ReceiptException e) {
            return;
        }
        Receipt again = decodeOrFail(receipt.encode());
        assertThat(again.encode()).isEqualTo(receipt.encode());
        VerifiedReceipt verified;
        try {
            verified = receipt.verify(TRUST);
        } catch (ReceiptException e) {
            return;
        }
        assertThat(receipt.treeSize()).isEqualTo(SIZE);
        int index = (int) receipt.leafIndex();
        assertThat(receipt.commitment()).isEqualTo(COMMITMENTS.get(index));
        assertThat(receipt.entry()).isEqualTo(ENTRIES.get(index));
        assertThat(verified.commitment()).isEqualTo(receipt.commitmentHex());
        assertThat(verified.checkpoint().root()).isEqualTo(ReferenceTree.mth(LEAF_HASHES));
        assertThat(verified.signers()).containsExactly(FixedKey.NAME);
    }

    @Test
    void honestSeeds_verify() throws Exception {
        for (int index : new int[] {0, 4}) {
            String name = "ReceiptFuzzTestInputs/text/honest-leaf-" + index;
            try (InputStream in = ReceiptFuzzTest.class.getResourceAsStream(name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(Receipt.decode(text).verify(TRUST).checkpoint().size())
                        .isEqualTo(SIZE);
            }
        }
    }

    /** @return the honest receipt of leaf {@code index}, its checkpoint signed by {@link FixedKey} (a seed) */
    static Receipt honest(int index) {
        String checkpoint = FixedKey.sign(new Checkpoint(ORIGIN, SIZE, ReferenceTree.mth(LEAF_HASHES), TIME).text());
        return Receipt.of(
                COMMITMENTS.get(index),
                index,
                SIZE,
                ReferenceTree.path(index, LEAF_HASHES),
                ENTRIES.get(index),
                checkpoint);
    }

    private static Receipt decodeOrFail(String text) {
        try {
            return Receipt.decode(text);
        } catch (ReceiptException e) {
            throw new AssertionError("the encoding of a decoded receipt does not decode: " + text, e);
        }
    }
}
