package dev.dossier.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void parse_values_typedAndOrderKept() {
        Object value = JsonReader.parse(" {\"b\":[1,-2,true,false,null],\"a\":\"x\\u00e9\\n\",\"c\":{},\"d\":1.5e3} ");

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertThat(map.keySet()).containsExactly("b", "a", "c", "d");
        assertThat(map.get("b")).isEqualTo(Arrays.asList(1L, -2L, true, false, null));
        assertThat(map.get("a")).isEqualTo("xé\n");
        assertThat(map.get("c")).isEqualTo(Map.of());
        assertThat(map.get("d")).isEqualTo(new BigDecimal("1.5e3"));
    }

    @Test
    void parse_thenWrite_isCanonical() {
        assertThat(Json.write(JsonReader.parse("{ \"z\" : [ ] , \"a\" : \"\\/\" }")))
                .isEqualTo("{\"a\":\"/\",\"z\":[]}");
    }

    @Test
    void parse_bigInteger_isBigDecimalNotOverflow() {
        assertThat(JsonReader.parse("123456789012345678901234567890"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(JsonReader.parse("-9")).isEqualTo(-9L);
    }

    @Test
    void parse_malformed_throwsWithOffset() {
        for (String bad : List.of(
                "",
                "{",
                "[1,]",
                "{\"a\"1}",
                "{\"a\":1,}",
                "01",
                "1.",
                "-",
                "\"\\x\"",
                "\"a",
                "tru",
                "[1] 2",
                "{\"a\":1,\"a\":2}",
                "\"\u0001\"",
                "{1:2}",
                "\"\\u12G4\"")) {
            assertThatThrownBy(() -> JsonReader.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed JSON at offset ");
        }
        assertThatThrownBy(() -> JsonReader.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_repeatedName_saysWhich() {
        assertThatThrownBy(() -> JsonReader.parse("{\"kind\":\"a\",\"kind\":\"b\"}"))
                .hasMessageContaining("no repeated member name ('kind')");
    }

    @Test
    void parse_tooDeep_throws() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);

        assertThatThrownBy(() -> JsonReader.parse(deep)).hasMessageContaining("nesting");
        assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
    }
}
