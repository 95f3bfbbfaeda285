package dev.dossier.node.config;

import dev.dossier.common.file.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** How the organisations' signing keys are written in a consortium directory: private keys 0600, public lines. */
final class KeyFiles {
    private KeyFiles() {}

    /** Writes a private key's PEM atomically, readable by its owner only, creating the folders. */
    static void writePrivate(Path file, String pem) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFile.write(file, pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Rewrites a file of public key lines atomically: the header, then one line each. */
    static void writeLines(Path file, String header, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder(header);
        for (String line : lines) {
            text.append(line).append('\n');
        }
        AtomicFile.write(file, text.toString());
    }
}
