package dev.dossier.node.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void utf8Order_matchesUnsignedByteOrder() {
        List<String> keys = Arrays.asList("b", "\ud83d\ude00", "a\u0000", "", "\uffff", "a", "\u00e9", "\ue000");
        List<String> byCodePoint = keys.stream().sorted(Keys.UTF8_ORDER).toList();
        List<String> byBytes = sortedByUtf8Bytes(keys);

        assertThat(byCodePoint).isEqualTo(byBytes);
        assertThat(byCodePoint.get(byCodePoint.size() - 1)).isEqualTo("\ud83d\ude00");
    }

    @Test
    void utf8Order_surrogatesAfterTheFirstDifference_matchesUnsignedByteOrder() {
        List<String> keys = Arrays.asList(
                "x\ud83d\ude00",
                "x\uffff",
                "x\ud83d\ude01",
                "x\ud83c\udfff",
                "x\ue000z",
                "x",
                "x\ud7ff",
                "xa\ud83d\ude00",
                "xa\uffff");
        List<String> sorted = keys.stream().sorted(Keys.UTF8_ORDER).toList();

        assertThat(sorted).isEqualTo(sortedByUtf8Bytes(keys));
    }

    private static List<String> sortedByUtf8Bytes(List<String> keys) {
        return keys.stream()
                .sorted((x, y) ->
                        Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    @Test
    void successor_isNextKeyInOrder() {
        assertThat(Keys.UTF8_ORDER.compare(Keys.successor("a"), "a")).isPositive();
        assertThat(Keys.UTF8_ORDER.compare(Keys.successor("a"), "a\u0001")).isNegative();
    }

    @Test
    void requireValidKey_rejectsEmptyAndUnpairedSurrogates() {
        assertThatNoException().isThrownBy(() -> Keys.requireValidKey("ok \ud83d\ude00"));
        assertThatThrownBy(() -> Keys.requireValidKey("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.requireValidKey("\ude00x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.requireValidKey("x\ud83d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.requireValidKey(null)).isInstanceOf(NullPointerException.class);
    }
}
