package dev.dossier.common.note;

import java.util.Objects;

/**
 * One signature line of a signed note: {@code — <key name> base64(key ID || signature)}. The signature array is
 * copied in and out.
 *
 * @param keyName the signer's key name
 * @param keyId the 32-bit key ID (big-endian in the line)
 * @param signature the signature bytes (for ECDSA, DER)
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
    public NoteSignature {
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(signature, "signature");
        if (keyName.isEmpty() || keyName.codePoints().anyMatch(c -> Character.isWhitespace(c) || c == '+')) {
            throw new IllegalArgumentException("key name must be non-empty, without spaces or '+': " + keyName);
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NoteSignature that
                && keyName.equals(that.keyName)
                && keyId == that.keyId
                && java.util.Arrays.equals(signature, that.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyName, keyId, java.util.Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "NoteSignature[" + keyName + ", " + String.format("%08x", keyId) + "]";
    }
}
