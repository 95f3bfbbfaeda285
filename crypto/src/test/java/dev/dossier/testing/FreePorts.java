package dev.dossier.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the nodes a test starts, so that tests of two checkouts, or two tests, running on one machine at
 * once do not ask for the same port.
 */
public final class FreePorts {
    /** Where the search starts and ends: below Linux's ephemeral range (32768 and up), above the usual services. */
    private static final int FROM = 20_000;

    private static final int TO = 30_000;

    private FreePorts() {}

    /**
     * A base port with {@code n} free ports from it, and for each offset {@code n} free ports from base plus that offset
     * (a node's Raft and HTTP ports beside its gateway port). All lie below the ephemeral range: a port there may be
     * taken as the local end of any outgoing connection on the machine while a test has stopped a node, which could
     * then not listen on it again.
     *
     * @throws UncheckedIOException if no such range is found in 50 random tries
     */
    public static int base(int n, int... offsets) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(FROM, TO);
            boolean free = free(base, n);
            for (int offset : offsets) {
                free = free && free(base + offset, n);
            }
            if (free) {
                return base;
            }
        }
        throw new UncheckedIOException(new IOException("no " + n + " free ports with offsets "
                + java.util.Arrays.toString(offsets) + " in " + FROM + "-" + TO));
    }

    private static boolean free(int from, int n) {
        for (int port = from; port < from + n; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
