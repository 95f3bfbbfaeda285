package dev.dossier.common.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8: bytes from outside (receipts, cards) are refused when they are not UTF-8, never patched. */
public final class Utf8 {
    private Utf8() {}

    /**
     * @return the text the bytes encode
     * @throws CharacterCodingException if they are not well-formed UTF-8
     */
    public static String decodeStrict(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
