package dev.dossier.node.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server under {@link HttpApi}: Jetty, with the handlers kept on the JDK's {@code com.sun.net.httpserver}
 * interface (Jetty's {@code jetty-http-spi}), under {@link HttpLimits}.
 *
 * <p>Why not the JDK's own server: it reads each request's line and headers on a worker thread, blocking, so every
 * connection that has sent part of a request holds a thread until {@code sun.net.httpserver.maxReqTime} (off by
 * default); it has no limit on open connections and none per client address. More threads only move the bound: N
 * threads fall to N slow connections. Jetty parses requests as bytes arrive, with no thread held, and has connection
 * limits and idle timeouts; what it lacks, this class adds:
 *
 * <ul>
 *   <li>a deadline for a request's headers ({@link HttpLimits#requestTimeout()}): a connection with no request under
 *       way (just opened, idle between requests, or sending headers slowly) is closed once it has been so for longer
 *       than the deadline, checked every {@value #SWEEP_MILLIS} ms, whatever the pace of its bytes;
 *   <li>a limit of open connections per client address ({@link HttpLimits#maxConnectionsPerAddress()}), counted as
 *       {@link ClientLimiter#clientKey} counts them;
 *   <li>the security headers ({@link HttpApi#SECURITY_HEADERS}) on the answers Jetty writes itself (malformed
 *       requests, headers too large), which never reach {@link HttpApi}.
 * </ul>
 */
final class GuardedServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GuardedServer.class.getName());
    private static final long SWEEP_MILLIS = 250;

    private final Server jetty;
    private final ServerConnector connector;
    private final Guard guard;
    private final ScheduledExecutorService sweeper;

    private GuardedServer(Server jetty, ServerConnector connector, Guard guard) {
        this.jetty = jetty;
        this.connector = connector;
        this.guard = guard;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "http-request-deadline");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds {@code host:port}; connections wait in the backlog until {@link #start}.
     *
     * @throws IOException if the address cannot be bound
     */
    static GuardedServer bind(String host, int port, HttpLimits limits) throws IOException {
        // one acceptor and one selector (the node shares its cores with RocksDB and gRPC), plus the request threads
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads() + 4, Math.min(8, limits.threads() + 4));
        threads.setName("http");
        threads.setDaemon(true);
        Server jetty = new Server(threads);
        jetty.setStopTimeout(1000);
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setRequestHeaderSize(limits.maxHeaderBytes());
        configuration.setSendServerVersion(false);
        configuration.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(configuration));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        Guard guard = new Guard(limits);
        connector.addEventListener(guard);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        guard.setHandler(new ContextHandlerCollection());
        jetty.setHandler(guard);
        jetty.setErrorHandler(new HeaderedErrorHandler());
        try {
            connector.open();
        } catch (IOException e) {
            throw new IOException("cannot listen for HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new GuardedServer(jetty, connector, guard);
    }

    /**
     * Serves every path with {@code handler}.
     *
     * @throws IOException if the server cannot start (this server is then closed)
     */
    void start(HttpHandler handler) throws IOException {
        JettyHttpServer spi = new JettyHttpServer(jetty, true);
        spi.bind(new InetSocketAddress(connector.getHost(), connector.getPort()), 0);
        spi.createContext("/", handler);
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
        }
        sweeper.scheduleWithFixedDelay(guard::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** @return the port listened on */
    int port() {
        return connector.getLocalPort();
    }

    /** @return open connections */
    int openConnections() {
        return guard.open.size();
    }

    /** @return connections closed because their request's headers had not arrived in time */
    long timedOut() {
        return guard.timedOut.sum();
    }

    /** @return connections closed at once because their address had too many open */
    long refused() {
        return guard.refused.sum();
    }

    /** Stops accepting, lets requests under way finish for up to a second, then closes every connection. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            jetty.stop();
            connector.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "HTTP server did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** A connection's state: requests under way, and since when none is. */
    private static final class Tracked {
        final String client;
        final AtomicInteger active = new AtomicInteger();
        volatile long idleSince = System.nanoTime();

        Tracked(String client) {
            this.client = client;
        }
    }

    /** Counts connections per address, marks requests under way, and closes connections past the deadline. */
    private static final class Guard extends Handler.Wrapper implements Connection.Listener {
        private final long deadlineNanos;
        private final int perAddress;
        private final Map<Connection, Tracked> open = new ConcurrentHashMap<>();
        private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
        private final LongAdder timedOut = new LongAdder();
        private final LongAdder refused = new LongAdder();

        Guard(HttpLimits limits) {
            this.deadlineNanos = limits.requestTimeout().toNanos();
            this.perAddress = limits.maxConnectionsPerAddress();
        }

        @Override
        public void onOpened(Connection connection) {
            SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
            String client = remote instanceof InetSocketAddress inet ? ClientLimiter.clientKey(inet.getAddress()) : "";
            Tracked tracked = new Tracked(client);
            open.put(connection, tracked);
            int count = perClient.merge(client, 1, Integer::sum);
            if (count > perAddress) {
                refused.increment();
                connection.getEndPoint().close();
            }
        }

        @Override
        public void onClosed(Connection connection) {
            Tracked tracked = open.remove(connection);
            if (tracked != null) {
                perClient.computeIfPresent(tracked.client, (k, n) -> n <= 1 ? null : n - 1);
            }
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Tracked tracked = open.get(request.getConnectionMetaData().getConnection());
            if (tracked != null) {
                tracked.active.incrementAndGet();
                Request.addCompletionListener(request, failure -> {
                    tracked.idleSince = System.nanoTime();
                    tracked.active.decrementAndGet();
                });
            }
            return super.handle(request, response, callback);
        }

        void sweep() {
            long now = System.nanoTime();
            open.forEach((connection, tracked) -> {
                if (tracked.active.get() == 0 && now - tracked.idleSince > deadlineNanos) {
                    timedOut.increment();
                    connection.getEndPoint().close();
                }
            });
        }
    }

    /** Jetty's own error answers (malformed requests, headers too large), with the security headers. */
    private static final class HeaderedErrorHandler extends ErrorHandler {
        HeaderedErrorHandler() {
            setShowStacks(false);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            apply(response.getHeaders()::put);
            return super.handle(request, response, callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            apply(fields::put);
            return super.badMessageError(status, reason, fields);
        }

        private static void apply(BiConsumer<String, String> header) {
            HttpApi.SECURITY_HEADERS.forEach(header);
        }
    }
}
