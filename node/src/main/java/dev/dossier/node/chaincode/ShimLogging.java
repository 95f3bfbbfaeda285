package dev.dossier.node.chaincode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps the chaincode shim's {@code java.util.logging} output sane inside the node.
 *
 * <ul>
 *   <li>Constructing the shim's router reconfigures logging for a chaincode container: it sets the JVM-wide
 *       {@code SimpleFormatter} format, sets every root handler to level ALL with its own formatter and logs its
 *       environment at INFO. {@link #quietly} runs that set-up, then restores the root handlers, the root level and
 *       the format property, and drops the set-up's own INFO chatter (only records from the loading thread).
 *   <li>Afterwards the shim's loggers ({@code org.hyperledger...}) are at WARNING, so the INFO lines the router
 *       writes on every invocation cost nothing.
 *   <li>The shim logs every failed invocation at SEVERE with a stack trace, business errors included. Records of
 *       the {@code org.hyperledger.fabric} tree therefore go through one handler that, while an invocation runs on
 *       the thread ({@link #startCapture}), holds them back; {@link #endCapture} then drops the report of a business
 *       error (a {@code ChaincodeException} with a payload, which reaches the client anyway) and publishes the
 *       rest, such as the cause of a failure, with the chaincode and transaction id. Outside invocations the
 *       records go to the root handlers as before.
 * </ul>
 *
 * The levels and the handler are JVM-wide, like the shim's own configuration.
 */
final class ShimLogging {
    private static final String FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    private static final String RESPONSE_UTILS = "org.hyperledger.fabric.shim.ResponseUtils";

    /** Strong references: java.util.logging holds loggers weakly, and a collected logger forgets its level. */
    private static final List<Logger> SHIM_LOGGERS = Stream.of(
                    "org.hyperledger",
                    "org.hyperledger.fabric",
                    "org.hyperledger.fabric.contract",
                    "org.hyperledger.fabric.shim")
            .map(Logger::getLogger)
            .toList();

    private static final Logger FABRIC = Logger.getLogger("org.hyperledger.fabric");
    private static final ThreadLocal<List<LogRecord>> CAPTURE = new ThreadLocal<>();
    private static final Handler ROUTER = new Router();

    /** An action that may throw a checked exception of one type. */
    @FunctionalInterface
    interface Action<T, X extends Exception> {
        T run() throws X;
    }

    private ShimLogging() {}

    /**
     * Runs the shim's set-up (constructing its router, scanning contracts) and then puts logging back in order, as
     * described in the class documentation, whether or not the action succeeded.
     *
     * @throws X if the action throws it
     */
    static synchronized <T, X extends Exception> T quietly(Action<T, X> action) throws X {
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        String format = System.getProperty(FORMAT_PROPERTY);
        Handler[] handlers = root.getHandlers();
        Level[] levels = new Level[handlers.length];
        Formatter[] formatters = new Formatter[handlers.length];
        Filter[] filters = new Filter[handlers.length];
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < handlers.length; i++) {
            Handler h = handlers[i];
            levels[i] = h.getLevel();
            formatters[i] = h.getFormatter();
            Filter previous = h.getFilter();
            filters[i] = previous;
            h.setFilter(r -> (r.getLongThreadID() != thread || r.getLevel().intValue() >= Level.WARNING.intValue())
                    && (previous == null || previous.isLoggable(r)));
        }
        try {
            return action.run();
        } finally {
            for (int i = 0; i < handlers.length; i++) {
                handlers[i].setLevel(levels[i]);
                if (formatters[i] != null) {
                    handlers[i].setFormatter(formatters[i]);
                }
                handlers[i].setFilter(filters[i]);
            }
            root.setLevel(rootLevel);
            if (format == null) {
                System.clearProperty(FORMAT_PROPERTY);
            } else {
                System.setProperty(FORMAT_PROPERTY, format);
            }
            for (Logger logger : SHIM_LOGGERS) {
                logger.setLevel(Level.WARNING);
            }
            if (!Arrays.asList(FABRIC.getHandlers()).contains(ROUTER)) {
                FABRIC.addHandler(ROUTER);
                FABRIC.setUseParentHandlers(false);
            }
        }
    }

    /** Starts holding back the shim's log records on this thread. */
    static void startCapture() {
        CAPTURE.set(new ArrayList<>());
    }

    /**
     * Stops holding back records on this thread and publishes those held, each prefixed with {@code context} and at
     * most at level WARNING.
     *
     * @param businessError whether the invocation failed with a business error (or a failure reported otherwise):
     *     the shim's report of it is then dropped
     */
    static void endCapture(String context, boolean businessError) {
        List<LogRecord> records = CAPTURE.get();
        CAPTURE.remove();
        if (records == null) {
            return;
        }
        for (LogRecord r : records) {
            if (businessError && RESPONSE_UTILS.equals(r.getLoggerName())) {
                continue;
            }
            r.setMessage(context + ": " + r.getMessage());
            if (r.getLevel().intValue() > Level.WARNING.intValue()) {
                r.setLevel(Level.WARNING); // a failed transaction is the chaincode's or the client's, not the node's
            }
            publishToRoot(r);
        }
    }

    private static void publishToRoot(LogRecord record) {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.publish(record);
        }
    }

    private static final class Router extends Handler {
        @Override
        public void publish(LogRecord record) {
            List<LogRecord> held = CAPTURE.get();
            if (held != null) {
                held.add(record);
            } else {
                publishToRoot(record);
            }
        }

        @Override
        public void flush() {
            // nothing buffered outside an invocation
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
