package dev.dossier.common.revocation;

import static dev.dossier.common.revocation.RevocationList.FORMAT;
import static dev.dossier.common.revocation.RevocationList.MAX_NOTE_BYTES;
import static dev.dossier.common.revocation.RevocationList.PREFIX_BYTES;

import dev.dossier.common.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.Objects;

/** Reading the wire form of a {@link RevocationList}: the framing, the header's lines, the entries. */
final class WireFormat {
    /** The header's lines after the first, in order. */
    private static final String[] FIELDS = {
        "origin", "version", "since", "height", "time", "prefix", "revoked", "superseded", "entries"
    };

    private WireFormat() {}

    record Framed(String note, byte[] entries) {}

    static Framed unframe(byte[] bytes) throws RevocationListException {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 4) {
            throw new RevocationListException("a revocation list starts with its header's 4-byte length");
        }
        int length = ByteBuffer.wrap(bytes).getInt();
        if (length <= 0 || length > MAX_NOTE_BYTES || length > bytes.length - 4) {
            throw new RevocationListException("the revocation list's header length " + Integer.toUnsignedString(length)
                    + " is not between 1 and " + Math.min(MAX_NOTE_BYTES, bytes.length - 4));
        }
        String note;
        try {
            note = dev.dossier.common.text.StrictUtf8.decode(Arrays.copyOfRange(bytes, 4, 4 + length));
        } catch (CharacterCodingException e) {
            throw new RevocationListException("the revocation list's header is not UTF-8");
        }
        return new Framed(note, Arrays.copyOfRange(bytes, 4 + length, bytes.length));
    }

    static RevocationList parse(String text, byte[] entries) throws RevocationListException {
        String[] lines = text.split("\n", -1);
        if (lines.length != FIELDS.length + 2 || !lines[0].equals(FORMAT) || !lines[lines.length - 1].isEmpty()) {
            throw new RevocationListException(
                    "the header is not a " + FORMAT + " header of " + (FIELDS.length + 1) + " lines (a newer format?)");
        }
        String[] values = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            String line = lines[i + 1];
            if (!line.startsWith(FIELDS[i] + " ")) {
                throw new RevocationListException("header line " + (i + 2) + " is not '" + FIELDS[i] + " ...'");
            }
            values[i] = line.substring(FIELDS[i].length() + 1);
        }
        long version = number(values[1], "version");
        long since = number(values[2], "since");
        long height = number(values[3], "height");
        long time = number(values[4], "time");
        if (number(values[5], "prefix") != PREFIX_BYTES) {
            throw new RevocationListException("prefix length " + values[5] + " is not " + PREFIX_BYTES);
        }
        long revokedCount = number(values[6], "revoked");
        long supersededCount = number(values[7], "superseded");
        if (entries.length % PREFIX_BYTES != 0 || entries.length / PREFIX_BYTES != revokedCount + supersededCount) {
            throw new RevocationListException("the list holds " + entries.length + " entry bytes, the header says "
                    + revokedCount + " revoked and " + supersededCount + " superseded of " + PREFIX_BYTES + " bytes");
        }
        if (!java.util.Base64.getEncoder().encodeToString(Sha256.of(entries)).equals(values[8])) {
            throw new RevocationListException(
                    "revocation list refused: the entries do not match the signed header's SHA-256 (altered)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(entries);
        long[] revoked = new long[(int) revokedCount];
        long[] superseded = new long[(int) supersededCount];
        for (int i = 0; i < revoked.length; i++) {
            revoked[i] = buffer.getLong();
        }
        for (int i = 0; i < superseded.length; i++) {
            superseded[i] = buffer.getLong();
        }
        try {
            return new RevocationList(values[0], version, since, height, time, revoked, superseded);
        } catch (IllegalArgumentException e) {
            throw new RevocationListException("malformed revocation list: " + e.getMessage());
        }
    }

    private static long number(String value, String field) throws RevocationListException {
        if (!value.matches("0|[1-9][0-9]{0,17}")) {
            throw new RevocationListException(field + " is not a number in canonical decimal: " + value);
        }
        return Long.parseLong(value);
    }
}
