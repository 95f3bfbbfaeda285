package dev.dossier.node.backup;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Asks a running node for a backup through its {@link AdminSocket}. */
public final class AdminClient {
    private AdminClient() {}

    /**
     * Asks the node for a backup into {@code target} and waits until it is written.
     *
     * @param node the node's data directory, or its admin socket
     * @param target the backup directory (made absolute here: the node resolves nothing against its own directory)
     * @return the backup's manifest
     * @throws IOException if the node cannot be reached (not running, another user's) or refuses, with its reason
     */
    public static BackupManifest backup(Path node, Path target) throws IOException {
        Path socket = Files.isDirectory(node) ? AdminSocket.path(node) : node;
        if (!Files.exists(socket)) {
            throw new IOException(
                    "no admin socket " + socket + ": is the node running with data directory " + node + "?");
        }
        String answer;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(channel)
                    .write(("backup " + target.toAbsolutePath().normalize() + "\n").getBytes(StandardCharsets.UTF_8));
            answer = AdminSocket.readLine(channel);
        } catch (java.net.SocketException e) {
            throw new IOException(
                    "cannot reach the node's admin socket " + socket + ": " + e.getMessage()
                            + " (is the node running, and are you its operating-system user?)",
                    e);
        }
        if (answer.startsWith("ok ")) {
            return BackupManifest.fromJson(answer.substring(3));
        }
        if (answer.startsWith("error ")) {
            throw new IOException("the node refused the backup: " + answer.substring(6));
        }
        throw new IOException("the node gave no answer" + (answer.isEmpty() ? "" : ": " + answer));
    }
}
