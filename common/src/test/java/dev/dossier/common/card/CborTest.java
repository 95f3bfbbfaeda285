package dev.dossier.common.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encodings from RFC 8949 appendix A, and the deterministic subset's refusals. */
class CborTest {
    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void rfc8949AppendixA_encodesAndDecodes() {
        Object[][] examples = {
            {0L, "00"},
            {23L, "17"},
            {24L, "1818"},
            {100L, "1864"},
            {1000L, "1903e8"},
            {1000000L, "1a000f4240"},
            {1000000000000L, "1b000000e8d4a51000"},
            {-1L, "20"},
            {-100L, "3863"},
            {-1000L, "3903e7"},
            {"a", "6161"},
            {"\u00fc", "62c3bc"},
            {"IETF", "6449455446"},
            {List.of(1L, 2L, 3L), "83010203"},
            {-65537L, "3a00010000"}
        };
        for (Object[] example : examples) {
            assertThat(HexFormat.of().formatHex(Cbor.encode(example[0]))).isEqualTo(example[1]);
        }
        assertThat(Cbor.encode(hex("01020304"))).isEqualTo(hex("4401020304"));
        Map<Long, Object> map = new LinkedHashMap<>();
        map.put(-7L, "b");
        map.put(10L, "c");
        map.put(1L, "a");
        // keys in the bytewise order of their encodings: 01 < 0a < 26
        assertThat(Cbor.encode(map)).isEqualTo(hex("a3016161" + "0a6163" + "266162"));
    }

    @Test
    void decode_refusesWhatIsNotDeterministic() {
        String[][] refused = {
            {"1817", "shortest form"},
            {"190017", "shortest form"},
            {"a2026161016162", "out of order"},
            {"a2016161016162", "repeated"},
            {"f5", "simple values"},
            {"fb3ff199999999999a", "floats"},
            {"5f42010243030405ff", "indefinite"},
            {"62c3", "exceeds"},
            {"62c328", "not UTF-8"},
            {"0000", "follow"},
            {"a1616101", "not an integer"},
            {"818181818101", "deeper"},
            {"", "ends early"},
            {"1bffffffffffffffff", "63 bits"}
        };
        for (String[] example : refused) {
            assertThatThrownBy(() -> Cbor.decode(hex(example[0])))
                    .as(example[0])
                    .isInstanceOf(Cbor.CborException.class)
                    .hasMessageContaining(example[1]);
        }
    }
}
