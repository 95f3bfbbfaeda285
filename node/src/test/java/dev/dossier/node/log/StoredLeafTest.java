package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StoredLeafTest {
    private static final String HEX = "00112233445566778899aabbccddeeff0123456789abcdef0f1e2d3c4b5a6978";
    private static final String OTHER = "ffeeddccbbaa99887766554433221100fedcba98765432100f1e2d3c4b5a6978";

    private static byte[] leaf(String commitmentHex, String json) {
        byte[] entry = json.getBytes(StandardCharsets.UTF_8);
        byte[] data = new byte[32 + entry.length];
        System.arraycopy(java.util.HexFormat.of().parseHex(commitmentHex), 0, data, 0, 32);
        System.arraycopy(entry, 0, data, 32, entry.length);
        return data;
    }

    @Test
    void entryNamingItsCommitment_isStoredWithoutTheHex_andReadBackExactly() {
        byte[] data = leaf(
                HEX, "{\"anchoredAt\":\"2026-01-01T00:00:00Z\",\"commitment\":\"" + HEX + "\",\"kind\":\"record\"}");

        byte[] stored = StoredLeaf.encode(data);

        assertThat(stored).hasSize(1 + 4 + data.length - 64);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(HEX);
        assertThat(StoredLeaf.decode(stored)).isEqualTo(data);
    }

    @Test
    void entryNamingAnotherCommitment_orNone_isStoredWhole() {
        byte[] other = leaf(HEX, "{\"commitment\":\"" + OTHER + "\"}");
        byte[] upper = leaf(HEX, "{\"commitment\":\"" + HEX.toUpperCase() + "\"}");
        byte[] none = leaf(HEX, "{}");
        byte[] truncated = leaf(HEX, "{\"commitment\":\"" + HEX);

        for (byte[] data : new byte[][] {other, upper, none, truncated}) {
            byte[] stored = StoredLeaf.encode(data);
            assertThat(stored).hasSize(1 + data.length);
            assertThat(StoredLeaf.decode(stored)).isEqualTo(data);
        }
    }

    @Test
    void onlyTheFirstCommitmentMemberIsElided() {
        String json = "{\"commitment\":\"" + HEX + "\",\"x\":\"\\\"commitment\\\":\\\"" + HEX + "\"}";
        byte[] data = leaf(HEX, json);

        byte[] stored = StoredLeaf.encode(data);

        assertThat(stored).hasSize(1 + 4 + data.length - 64);
        assertThat(StoredLeaf.decode(stored)).isEqualTo(data);
    }

    @Test
    void damagedStoredForms_areRefused() {
        byte[] stored = StoredLeaf.encode(leaf(HEX, "{\"commitment\":\"" + HEX + "\"}"));
        byte[] badOffset = Arrays.copyOf(stored, stored.length);
        badOffset[1] = 0x7f;

        assertThatThrownBy(() -> StoredLeaf.decode(badOffset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad offset");
        assertThatThrownBy(() -> StoredLeaf.decode(new byte[] {9, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown form");
        assertThatThrownBy(() -> StoredLeaf.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
