package dev.dossier.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void write_objectKeys_sortedWhateverTheInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1);
        m.put("alpha", true);
        m.put("Beta", null);
        m.put("mid", List.of("x", 2L));

        assertThat(Json.write(m)).isEqualTo("{\"Beta\":null,\"alpha\":true,\"mid\":[\"x\",2],\"zeta\":1}");
    }

    @Test
    void write_nestedMapsInLists_sortedToo() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("d", "4");
        inner.put("c", "3");
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", "2");
        outer.put("a", inner);

        assertThat(Json.write(Arrays.asList(outer, null)))
                .isEqualTo("[{\"a\":{\"c\":\"3\",\"d\":\"4\"},\"b\":\"2\"},null]");
    }

    @Test
    void write_string_escapesOnlyQuotesBackslashesAndControls() {
        assertThat(Json.write("a\"b\\c\n\u0001/é€")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001/é€\"");
    }

    @Test
    void write_string_escapesAtEitherEndAndInARow_plainOnesAsGiven() {
        assertThat(Json.write("")).isEqualTo("\"\"");
        assertThat(Json.write("CN=Issuer@org1,O=Org 1")).isEqualTo("\"CN=Issuer@org1,O=Org 1\"");
        assertThat(Json.write("\"")).isEqualTo("\"\\\"\"");
        assertThat(Json.write("\tab\u001f")).isEqualTo("\"\\tab\\u001f\"");
        assertThat(Json.write("a\r\n\\\bz")).isEqualTo("\"a\\r\\n\\\\\\bz\"");
    }

    @Test
    void write_unsupportedType_throws() {
        assertThatThrownBy(() -> Json.write(Map.of("x", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Double");
    }

    @Test
    void object_membersInOrder_absentOnesLeftOut_rawCopied() {
        StringBuilder out = new StringBuilder();
        Json.object(out)
                .add("a", 1)
                .add("b", null)
                .add("c", "x")
                .add("d", new Json.Raw("[1, 2]"))
                .end();

        assertThat(out).hasToString("{\"a\":1,\"c\":\"x\",\"d\":[1, 2]}");
    }

    @Test
    void object_memberOutOfOrder_throws() {
        Json.Members members = Json.object(new StringBuilder()).add("b", 1);

        assertThatThrownBy(() -> members.add("a", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("member 'a' added after 'b'");
    }
}
