package dev.dossier.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class StatusListTest {
    /** The empty list of the W3C Bitstring Status List v1.0 examples: 16 KiB of zero bytes. */
    private static final String SPEC_EMPTY_LIST =
            "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

    @Test
    void decodesTheSpecificationsEmptyList() {
        StatusList list = StatusList.decode(SPEC_EMPTY_LIST);
        assertThat(list.size()).isEqualTo(131_072);
        assertThat(list.get(0)).isFalse();
        assertThat(list.get(131_071)).isFalse();
    }

    @Test
    void bitZeroIsTheFirstBytesMostSignificantBit_andSurvivesEncoding() {
        StatusList list = StatusList.empty();
        list.set(0);
        list.set(9);
        list.set(131_071);
        String encoded = list.encode();
        assertThat(encoded).startsWith("u");
        StatusList decoded = StatusList.decode(encoded);
        assertThat(decoded.get(0)).isTrue();
        assertThat(decoded.get(1)).isFalse();
        assertThat(decoded.get(8)).isFalse();
        assertThat(decoded.get(9)).isTrue();
        assertThat(decoded.get(131_071)).isTrue();
        byte[] raw = Multibase.decodeBase64url(encoded);
        assertThat(raw[0] & 0xff).isEqualTo(0x1f); // GZIP magic
        assertThatThrownBy(() -> decoded.get(131_072)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesShortListsBombsAndOtherEncodings() throws Exception {
        assertThatThrownBy(() -> StatusList.decode(Multibase.base64url(gzip(new byte[1000]))))
                .hasMessageContaining("fewer than the 131072 required");
        assertThatThrownBy(() -> StatusList.decode(Multibase.base64url(gzip(new byte[StatusList.MAX_BYTES + 1]))))
                .hasMessageContaining("inflates beyond");
        assertThatThrownBy(() -> StatusList.decode("z123")).hasMessageContaining("must start with 'u'");
        assertThatThrownBy(() -> StatusList.decode("uAAAA")).hasMessageContaining("not GZIP");
    }

    @Test
    void credentialKeyLinesRoundTrip_andAWrongKeyIdIsRefused() throws Exception {
        var key = new VerificationKey.Ed25519(
                dev.dossier.crypto.Ed25519PrivateKey.generate().publicKey());
        CredentialKey listed = new CredentialKey("Org1MSP", LocalDate.of(2026, 1, 1), LocalDate.of(2028, 12, 31), key);
        assertThat(CredentialKey.parse(listed.line())).isEqualTo(listed);
        String wrongId = listed.line().replace(listed.keyIdHex(), "0000000000000000");
        assertThatThrownBy(() -> CredentialKey.parse(wrongId)).hasMessageContaining("is not the key's");
        assertThatThrownBy(() -> CredentialKey.parse("credential Org1MSP x"))
                .hasMessageContaining("a credential key line is");
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
