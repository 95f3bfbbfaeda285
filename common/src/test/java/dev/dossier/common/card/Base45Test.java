package dev.dossier.common.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Base45Test {
    /** RFC 9285 sections 4.3 and 4.4. */
    @Test
    void rfc9285Examples() {
        String[][] examples = {
            {"AB", "BB8"}, {"Hello!!", "%69 VD92EX0"}, {"base-45", "UJCLQE7W581"}, {"ietf!", "QED8WEX0"}
        };
        for (String[] example : examples) {
            assertThat(Base45.encode(example[0].getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(example[1]);
            assertThat(new String(Base45.decode(example[1]), StandardCharsets.US_ASCII))
                    .isEqualTo(example[0]);
        }
        assertThat(Base45.encode(new byte[0])).isEmpty();
        assertThat(Base45.decode("")).isEmpty();
    }

    @Test
    void everyTwoByteValue_roundTrips() {
        for (int n = 0; n <= 0xffff; n++) {
            byte[] two = {(byte) (n >> 8), (byte) n};
            assertThat(Base45.decode(Base45.encode(two))).isEqualTo(two);
        }
    }

    @Test
    void badText_isRefusedSayingWhy() {
        assertThatThrownBy(() -> Base45.decode("GGW0")).hasMessageContaining("3n + 1");
        // RFC 9285 section 6: ":::" is 65535 + ... above 65535
        assertThatThrownBy(() -> Base45.decode(":::")).hasMessageContaining("above 65535");
        assertThatThrownBy(() -> Base45.decode("::")).hasMessageContaining("above 255");
        assertThatThrownBy(() -> Base45.decode("ab8")).hasMessageContaining("character 0 (U+0061) is not Base45");
        assertThatThrownBy(() -> Base45.decode("BB\u00e9")).hasMessageContaining("not Base45");
    }
}
