package dev.dossier.node.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The node's administration door: a Unix domain socket, {@code admin/admin.sock} in its data directory, through which
 * {@code dossier backup} asks the running node for a backup ({@link NodeBackup}). It is local only, on purpose: it
 * listens on no network interface, so nobody elsewhere can reach it, and the {@code admin/} directory is created
 * {@code rwx------}, so only the node's own operating-system user (and root) can connect; the node also checks the
 * connecting process's user (SO_PEERCRED) and refuses any other. A backup holds the whole ledger: whoever may trigger
 * one can read it, so this door is exactly as open as the data directory itself.
 *
 * <p>Protocol: one request line {@code backup <absolute directory>}, one answer line {@code ok <manifest JSON>} or
 * {@code error <message>}. Requests are at most {@link #MAX_REQUEST_BYTES}; one backup runs at a time, and at most
 * {@link #MAX_CONNECTIONS} connections are served at once.
 */
public final class AdminSocket implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdminSocket.class.getName());
    /** The socket's directory in the node's data directory. */
    public static final String DIRECTORY = "admin";
    /** The socket's file name in {@link #DIRECTORY}. */
    public static final String SOCKET = "admin.sock";

    static final int MAX_REQUEST_BYTES = 4096;
    static final int MAX_CONNECTIONS = 4;

    private final ServerSocketChannel server;
    private final Path socket;
    private final NodeBackup backups;
    private final UserPrincipal owner;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final Thread acceptor;

    private AdminSocket(ServerSocketChannel server, Path socket, NodeBackup backups, UserPrincipal owner) {
        this.server = server;
        this.socket = socket;
        this.backups = backups;
        this.owner = owner;
        this.acceptor = new Thread(this::accept, "admin-socket");
        acceptor.setDaemon(true);
    }

    /** @return the socket of the node whose data directory is {@code dataDirectory} */
    public static Path path(Path dataDirectory) {
        return dataDirectory.resolve(DIRECTORY).resolve(SOCKET);
    }

    /**
     * Listens on the socket of {@code dataDirectory} (a stale one, left by a node that was killed, is replaced: the
     * node holds its ledger's lock, so no other node uses this directory).
     *
     * @throws IOException if the socket cannot be made, for example when its path is longer than a Unix socket's
     *     (about 100 bytes)
     */
    public static AdminSocket start(Path dataDirectory, NodeBackup backups) throws IOException {
        Objects.requireNonNull(backups, "backups");
        Path directory = dataDirectory.toAbsolutePath().resolve(DIRECTORY);
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        Path socket = directory.resolve(SOCKET);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException(
                    "cannot listen on the admin socket " + socket + ": " + e.getMessage()
                            + " (a Unix socket's path is at most about 100 bytes: use a shorter data directory)",
                    e);
        }
        AdminSocket admin = new AdminSocket(server, socket, backups, Files.getOwner(directory));
        admin.acceptor.start();
        LOG.info(() -> "admin socket (backups) on " + socket + ", for user " + admin.owner.getName() + " only");
        return admin;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "admin socket: accept failed", e);
                }
                return;
            }
            if (!connections.tryAcquire()) {
                answer(client, "error the node already serves " + MAX_CONNECTIONS + " admin connections");
                continue;
            }
            Thread handler = new Thread(
                    () -> {
                        try {
                            answer(client, handle(client));
                        } finally {
                            connections.release();
                        }
                    },
                    "admin-request");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private String handle(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            if (!user.equals(owner.getName()) && !user.equals("root")) {
                LOG.warning(() -> "admin socket: refused a request from user " + user);
                return "error user " + user + " may not administer this node (only " + owner.getName() + ")";
            }
            String request = readLine(client);
            if (!request.startsWith("backup ")) {
                return "error unknown request (expected: backup <absolute directory>)";
            }
            Path target = Path.of(request.substring("backup ".length()));
            LOG.info(() -> "admin socket: backup to " + target + " asked by user " + user);
            return "ok " + backups.write(target).toJson();
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "admin socket: request failed: " + e.getMessage());
            return "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }

    /** @return the request line, without its end of line */
    static String readLine(SocketChannel channel) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (channel.read(one) < 0) {
                break;
            }
            byte b = one.get(0);
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_REQUEST_BYTES) {
                throw new IOException("line longer than " + MAX_REQUEST_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void answer(SocketChannel client, String line) {
        try (client) {
            Channels.newOutputStream(client).write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.fine(() -> "admin socket: could not answer: " + e.getMessage());
        }
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warning(() -> "admin socket: could not close: " + e.getMessage());
        }
    }
}
