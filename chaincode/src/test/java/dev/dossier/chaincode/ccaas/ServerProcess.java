package dev.dossier.chaincode.ccaas;

import dev.dossier.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chaincode server jar ({@code -ccaas.jar}, system property {@code dossier.ccaas.jar}) run with {@code java -jar}
 * in its own JVM on a free loopback port, as a Fabric operator runs it; its output goes to a log file.
 */
final class ServerProcess implements AutoCloseable {
    /** The package ID the server registers with. */
    static final String PACKAGE_ID = "notary_1.0:5c8a0d0c1e2f4b6a8d9c0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the server and waits until it listens.
     *
     * @param env environment variables beside {@code CHAINCODE_SERVER_ADDRESS} and {@code CHAINCODE_ID}
     * @param log where its standard output and error go
     */
    static ServerProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
        String jar = System.getProperty("dossier.ccaas.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the chaincode server jar (system property dossier.ccaas.jar, built at "
                    + "package) is missing: " + jar);
        }
        int port = FreePorts.base(1); // below the ephemeral range, which outgoing connections take from meanwhile
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar);
        // nothing from the build's environment: only what a deployment would set
        builder.environment().keySet().removeIf(k -> k.startsWith("CHAINCODE_") || k.startsWith("CORE_"));
        builder.environment().put("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:" + port);
        builder.environment().put("CHAINCODE_ID", PACKAGE_ID);
        builder.environment().putAll(env);
        Files.createDirectories(log.getParent());
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ServerProcess server = new ServerProcess(builder.start(), port, log);
        try {
            server.awaitListening();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** @return the loopback port the server listens on */
    int port() {
        return port;
    }

    /** @return the server's output so far */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the chaincode server exited with status " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the chaincode server did not listen within " + START_TIMEOUT + ":\n" + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
