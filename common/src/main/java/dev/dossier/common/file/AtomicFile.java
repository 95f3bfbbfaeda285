package dev.dossier.common.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Objects;

/**
 * Replaces a small file's content as a whole: the new content goes to a temporary file beside it, is flushed to disk,
 * and the temporary file is moved over the old one, atomically where the file system can. A reader, or a crash, finds
 * the old content or the new one, never part of either.
 *
 * <pre>{@code
 * AtomicFile.write(directory.resolve("state.txt"), text);
 * }</pre>
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * Writes {@code text}, UTF-8, as the whole content of {@code file}, whose directory must exist.
     *
     * @param attributes the attributes of the new file, such as POSIX permissions (by default a temporary file's:
     *     readable and writable by its owner only, where the file system has POSIX permissions)
     * @throws IOException if the temporary file cannot be created, written or moved; it is removed then, and
     *     {@code file} keeps its old content
     */
    public static void write(Path file, String text, FileAttribute<?>... attributes) throws IOException {
        Objects.requireNonNull(text, "text");
        write(file, UTF_8.encode(text), attributes);
    }

    /**
     * Writes {@code bytes} as the whole content of {@code file}, as {@link #write(Path, String, FileAttribute[])}
     * writes text.
     */
    public static void write(Path file, byte[] bytes, FileAttribute<?>... attributes) throws IOException {
        write(file, ByteBuffer.wrap(bytes.clone()), attributes);
    }

    private static void write(Path file, ByteBuffer buffer, FileAttribute<?>... attributes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
