package dev.dossier.client.digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 32-byte secret key for HMAC-SHA256: the issuer's salt key (salts of commitments) or the sector's pseudonym key
 * (subject pseudonyms). Security: with the key, commitments of guessed records can be tested; without it they cannot,
 * as HMAC-SHA256 is a pseudo-random function. Keep key files private and backed up: a lost salt key means the issuer
 * can no longer re-derive the salts of what it anchored (the receipts still carry them).
 *
 * <p>Key file format: the 32 bytes as 64 lowercase hexadecimal digits and a newline. {@link #loadOrCreate} writes a
 * new file with permissions {@code 0600} (owner read and write only) inside directories created {@code 0700}.
 * Thread-safe.
 */
public final class HmacKey {
    private static final String ALGORITHM = "HmacSHA256";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private HmacKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * @param bytes the 32 key bytes (copied)
     * @throws IllegalArgumentException if there are not 32 bytes
     */
    public static HmacKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != 32) {
            throw new IllegalArgumentException("an HMAC key has 32 bytes, got " + bytes.length);
        }
        return new HmacKey(bytes.clone());
    }

    /**
     * Reads the key in {@code file}, or, if the file does not exist, creates it with 32 bytes from {@link SecureRandom}
     * and permissions {@code 0600}. Two processes creating the same file at once end up with the same key (the loser
     * of the race reads the winner's file).
     *
     * @throws IOException if the file cannot be read or written, or does not hold 64 hexadecimal digits
     */
    public static HmacKey loadOrCreate(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            try {
                create(file, (HexFormat.of().formatHex(bytes) + "\n").getBytes(StandardCharsets.US_ASCII));
                return new HmacKey(bytes);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return load(file);
    }

    /**
     * Reads an existing key file.
     *
     * @throws IOException if the file cannot be read or does not hold 64 hexadecimal digits
     */
    public static HmacKey load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!Hex.is64(text)) {
            throw new IOException("key file " + file + " does not hold 64 hexadecimal digits");
        }
        return new HmacKey(HexFormat.of().parseHex(text));
    }

    private static void create(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        boolean posix =
                Files.getFileStore(existingAncestor(parent)).supportsFileAttributeView(PosixFileAttributeView.class);
        if (posix) {
            Files.createDirectories(
                    parent,
                    PosixFilePermissions.asFileAttribute(EnumSet.of(
                            PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE)));
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            Files.createDirectories(parent);
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    private static Path existingAncestor(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of(".").toAbsolutePath() : p;
    }

    /** @return HMAC-SHA256 under this key of the concatenation of {@code parts} */
    public byte[] mac(byte[]... parts) {
        Mac mac = macs.get();
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new AssertionError("HmacSHA256 is a mandatory JDK algorithm", e);
        }
    }
}
