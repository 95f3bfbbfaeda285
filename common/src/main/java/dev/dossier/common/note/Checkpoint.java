package dev.dossier.common.note;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A transparency-log checkpoint (c2sp.org/tlog-checkpoint): the log's origin line, its size in decimal and the
 * base64 RFC 9162 root hash, each ending in a newline. This is the text that nodes sign as a note. Immutable; the root
 * is copied in and out.
 *
 * @param origin the log's identity, such as {@code dossier.local/dossier/notary}
 * @param size number of leaves
 * @param root the 32-byte root hash
 */
public record Checkpoint(String origin, long size, byte[] root) {
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(root, "root");
        if (origin.isEmpty() || origin.chars().anyMatch(c -> c < 0x20 || c == '\n')) {
            throw new IllegalArgumentException("origin must be a non-empty line of text");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
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

    /** @return the checkpoint text: {@code origin\nsize\nbase64(root)\n} */
    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    /**
     * Parses the text of a checkpoint (extension lines after the root are allowed and ignored).
     *
     * @throws NoteException if the text is not a checkpoint
     */
    public static Checkpoint parse(String text) throws NoteException {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || !text.endsWith("\n")) {
            throw new NoteException("a checkpoint has an origin, a size and a root line, each ending in a newline");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteException("checkpoint size is not a decimal number: " + lines[1]);
        }
        if (size < 0 || !lines[1].equals(Long.toString(size))) {
            throw new NoteException("checkpoint size is not canonical decimal: " + lines[1]);
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2].getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new NoteException("checkpoint root is not base64: " + lines[2]);
        }
        if (root.length != 32) {
            throw new NoteException("checkpoint root has " + root.length + " bytes, want 32");
        }
        if (lines[0].isEmpty()) {
            throw new NoteException("checkpoint origin is empty");
        }
        return new Checkpoint(lines[0], size, root);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that
                && origin.equals(that.origin)
                && size == that.size
                && java.util.Arrays.equals(root, that.root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, java.util.Arrays.hashCode(root));
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", "
                + java.util.HexFormat.of().formatHex(root) + "]";
    }
}
