package dev.dossier.node.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * How the commitment log stores a leaf's data. The data is the 32 commitment bytes then the public entry, which names
 * the commitment again as 64 hexadecimal characters ({@code "commitment":"…"}); those characters are left out of the
 * stored form and put back when it is read, so the log keeps the commitment once. Data whose entry does not name its
 * own commitment is stored whole. Either way {@link #decode} gives back exactly the bytes {@link #encode} was given,
 * which are what the tree hashes and receipts carry.
 *
 * <pre>
 * whole:  0x00 ‖ data
 * elided: 0x01 ‖ offset (4, big-endian) ‖ data without the 64 characters at offset
 * </pre>
 */
final class StoredLeaf {
    private static final byte WHOLE = 0;
    private static final byte ELIDED = 1;
    private static final int HEX_CHARS = 2 * LogLeaves.COMMITMENT_BYTES;
    private static final byte[] MEMBER = "\"commitment\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private StoredLeaf() {}

    /** @return the stored form of leaf data (the commitment bytes, then the public entry) */
    static byte[] encode(byte[] data) {
        int offset = data.length < LogLeaves.COMMITMENT_BYTES ? -1 : commitmentHexAt(data);
        if (offset < 0) {
            byte[] out = new byte[1 + data.length];
            out[0] = WHOLE;
            System.arraycopy(data, 0, out, 1, data.length);
            return out;
        }
        return ByteBuffer.allocate(1 + 4 + data.length - HEX_CHARS)
                .put(ELIDED)
                .putInt(offset)
                .put(data, 0, offset)
                .put(data, offset + HEX_CHARS, data.length - offset - HEX_CHARS)
                .array();
    }

    /**
     * @return the leaf data a stored form holds
     * @throws IllegalArgumentException if {@code stored} is not a stored form
     */
    static byte[] decode(byte[] stored) {
        if (stored.length >= 1 && stored[0] == WHOLE) {
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        if (stored.length < 5 + LogLeaves.COMMITMENT_BYTES || stored[0] != ELIDED) {
            throw new IllegalArgumentException("stored leaf of " + stored.length + " bytes has an unknown form");
        }
        int offset = ByteBuffer.wrap(stored, 1, 4).getInt();
        int rest = stored.length - 5;
        if (offset < LogLeaves.COMMITMENT_BYTES || offset > rest) {
            throw new IllegalArgumentException("stored leaf has a bad offset " + offset);
        }
        byte[] hex = HEX.formatHex(stored, 5, 5 + LogLeaves.COMMITMENT_BYTES).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(rest + HEX_CHARS)
                .put(stored, 5, offset)
                .put(hex)
                .put(stored, 5 + offset, rest - offset)
                .array();
    }

    /** @return where the hex of the data's commitment starts in its {@code "commitment":"…"} member, or -1 */
    private static int commitmentHexAt(byte[] data) {
        byte[] hex = HEX.formatHex(data, 0, LogLeaves.COMMITMENT_BYTES).getBytes(StandardCharsets.US_ASCII);
        int last = data.length - MEMBER.length - HEX_CHARS - 1;
        for (int at = LogLeaves.COMMITMENT_BYTES; at <= last; at++) {
            if (Arrays.equals(data, at, at + MEMBER.length, MEMBER, 0, MEMBER.length)) {
                int start = at + MEMBER.length;
                boolean same = Arrays.equals(data, start, start + HEX_CHARS, hex, 0, HEX_CHARS)
                        && data[start + HEX_CHARS] == '"';
                return same ? start : -1;
            }
        }
        return -1;
    }
}
