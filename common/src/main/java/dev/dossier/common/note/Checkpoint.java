package dev.dossier.common.note;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A transparency-log checkpoint (c2sp.org/tlog-checkpoint): the log's origin line, its size in decimal and the
 * base64 RFC 9162 root hash, then one extension line {@code time <unix seconds>} saying when the signer saw the log
 * at this size; each line ends in a newline. This is the text that nodes sign as a note. A verifier of a receipt
 * learns from the time how fresh the statement is ("included as of"). Immutable; the root is copied in and out.
 *
 * @param origin the log's identity, such as {@code dossier/dossier/notary}
 * @param size number of leaves
 * @param root the 32-byte root hash
 * @param time when the checkpoint was made, in seconds since the Unix epoch
 */
public record Checkpoint(String origin, long size, byte[] root, long time) {
    private static final String TIME = "time ";

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(root, "root");
        if (origin.isEmpty() || origin.chars().anyMatch(c -> c < 0x20 || c == '\n')) {
            throw new IllegalArgumentException("origin must be a non-empty line of text");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (time < 0) {
            throw new IllegalArgumentException("time must not be negative: " + time);
        }
        if (root.length != 32) {
            throw new IllegalArgumentException("root must be 32 bytes, not " + root.length);
        }
        root = root.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** @return the origin of the commitment log of a chaincode on a channel: {@code dossier/<channel>/<chaincode>} */
    public static String origin(String channel, String chaincode) {
        return "dossier/" + Objects.requireNonNull(channel, "channel") + "/"
                + Objects.requireNonNull(chaincode, "chaincode");
    }

    /** @return the time as an instant */
    public Instant instant() {
        return Instant.ofEpochSecond(time);
    }

    /** @return the checkpoint text: {@code origin\nsize\nbase64(root)\ntime <seconds>\n} */
    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n" + TIME + time + "\n";
    }

    /**
     * Parses the text of a checkpoint. The {@code time} line must follow the root; further extension lines are
     * allowed and ignored.
     *
     * @throws NoteException if the text is not a checkpoint
     */
    public static Checkpoint parse(String text) throws NoteException {
        String[] lines = text.split("\n", -1);
        if (lines.length < 5 || !text.endsWith("\n")) {
            throw new NoteException(
                    "a checkpoint has an origin, a size, a root and a time line, each ending in a newline");
        }
        long size = decimal(lines[1], "size");
        if (!lines[3].startsWith(TIME)) {
            throw new NoteException("checkpoint has no time line after its root: " + lines[3]);
        }
        long time = decimal(lines[3].substring(TIME.length()), "time");
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2].getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new NoteException("checkpoint root is not base64: " + lines[2]);
        }
        if (!Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            throw new NoteException("checkpoint root is not canonical base64: " + lines[2]);
        }
        if (root.length != 32) {
            throw new NoteException("checkpoint root has " + root.length + " bytes, want 32");
        }
        if (lines[0].isEmpty()) {
            throw new NoteException("checkpoint origin is empty");
        }
        if (lines[0].chars().anyMatch(c -> c < 0x20)) {
            throw new NoteException("checkpoint origin contains a control character");
        }
        return new Checkpoint(lines[0], size, root, time);
    }

    private static long decimal(String text, String what) throws NoteException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NoteException("checkpoint " + what + " is not a decimal number: " + text);
        }
        if (value < 0 || !text.equals(Long.toString(value))) {
            throw new NoteException("checkpoint " + what + " is not canonical decimal: " + text);
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that
                && origin.equals(that.origin)
                && size == that.size
                && time == that.time
                && java.util.Arrays.equals(root, that.root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, time, java.util.Arrays.hashCode(root));
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", "
                + java.util.HexFormat.of().formatHex(root) + ", " + instant() + "]";
    }
}
