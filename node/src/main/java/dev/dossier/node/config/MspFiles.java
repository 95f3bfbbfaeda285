package dev.dossier.node.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * Writes the files of a Fabric MSP folder as {@code cryptogen} does: PEM certificates, PEM private keys readable by the
 * owner only (where the file system has POSIX permissions), and the NodeOUs {@code config.yaml}. Never overwrites: a
 * file that exists is an error.
 */
final class MspFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private MspFiles() {}

    static Path writeCertificate(Path file, X509Certificate certificate) throws IOException {
        return write(file, Pem.encode(certificate), false);
    }

    static Path writePrivateKey(Path file, P256PrivateKey key) throws IOException {
        return write(file, Pem.encode(key), true);
    }

    /** Writes the NodeOUs configuration that cryptogen writes, so Fabric classifies identities by OU. */
    static void writeNodeOuConfig(Path msp, String caFile) throws IOException {
        StringBuilder yaml = new StringBuilder("NodeOUs:\n  Enable: true\n");
        String[][] ous = {{"Client", "client"}, {"Peer", "peer"}, {"Admin", "admin"}, {"Orderer", "orderer"}};
        for (String[] ou : ous) {
            yaml.append("  ")
                    .append(ou[0])
                    .append("OUIdentifier:\n")
                    .append("    Certificate: cacerts/")
                    .append(caFile)
                    .append('\n')
                    .append("    OrganizationalUnitIdentifier: ")
                    .append(ou[1])
                    .append('\n');
        }
        write(msp.resolve("config.yaml"), yaml.toString(), false);
    }

    private static Path write(Path file, String content, boolean secret) throws IOException {
        Files.createDirectories(file.getParent());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = secret && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Files.createFile(file, attributes);
        Files.writeString(file, content, UTF_8);
        return file;
    }
}
