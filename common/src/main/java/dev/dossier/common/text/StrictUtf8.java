package dev.dossier.common.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses what is not UTF-8 (malformed or truncated sequences, encoded surrogates, overlong
 * forms), where {@code new String(bytes, UTF_8)} would put U+FFFD in their place and let two different byte strings
 * read as the same text.
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /**
     * @param bytes UTF-8 bytes
     * @return their text
     * @throws CharacterCodingException if {@code bytes} are not well-formed UTF-8
     */
    public static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
