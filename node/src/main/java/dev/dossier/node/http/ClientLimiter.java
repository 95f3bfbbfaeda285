package dev.dossier.node.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-client limits on one kind of expensive request: a token bucket (refilled at {@code perSecond}, holding at most
 * {@code burst} requests) and at most {@code concurrent} requests under way, per client address.
 *
 * <p>Invariants: a granted {@link Permit} holds one of its client's concurrent slots until closed (closing twice
 * releases once). Memory is bounded: at most {@code maxClients} addresses are tracked; when the table is full, idle
 * clients (bucket full, nothing under way) are dropped, and if none is idle, new addresses share one overflow entry,
 * so that many addresses together are limited as one client rather than growing the table. IPv6 clients are counted
 * per /64, the block one subscriber usually holds.
 */
final class ClientLimiter {
    private static final HexFormat HEX = HexFormat.of();
    private static final String OVERFLOW = "overflow";

    private final double perNano;
    private final int burst;
    private final int concurrent;
    private final int maxClients;
    private final LongSupplier clock;
    private final Map<String, Bucket> clients = new ConcurrentHashMap<>();

    /** Why a request was refused. */
    enum Refusal {
        /** The client's bucket is empty. */
        RATE,
        /** The client has {@code concurrent} requests under way. */
        CONCURRENCY
    }

    /** A slot of a client's concurrent requests, released by {@link #close()}. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** The answer of {@link #acquire}: a permit, or why not. */
    record Decision(Optional<Permit> permit, Refusal refusal) {}

    ClientLimiter(int perSecond, int burst, int concurrent, int maxClients, LongSupplier nanoClock) {
        if (perSecond < 1 || burst < 1 || concurrent < 1 || maxClients < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.concurrent = concurrent;
        this.maxClients = maxClients;
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** @return the key a client address is counted under: the address, or its /64 for IPv6 */
    static String clientKey(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return HEX.formatHex(Arrays.copyOf(bytes, 8)) + "::/64";
        }
        return address.getHostAddress();
    }

    /** @return a permit for one request of {@code client}, or the refusal */
    Decision acquire(InetAddress client) {
        long now = clock.getAsLong();
        Bucket bucket = bucket(clientKey(client), now);
        synchronized (bucket) {
            bucket.refill(now);
            if (bucket.active >= concurrent) {
                return new Decision(Optional.empty(), Refusal.CONCURRENCY);
            }
            if (bucket.tokens < 1) {
                return new Decision(Optional.empty(), Refusal.RATE);
            }
            bucket.tokens -= 1;
            bucket.active++;
        }
        return new Decision(Optional.of(new Slot(bucket)), null);
    }

    /** @return how many client entries are tracked (at most {@code maxClients} + 1) */
    int tracked() {
        return clients.size();
    }

    private Bucket bucket(String key, long now) {
        Bucket existing = clients.get(key);
        if (existing != null) {
            return existing;
        }
        if (clients.size() >= maxClients) {
            clients.entrySet().removeIf(e -> e.getValue().idle(now));
            if (clients.size() >= maxClients) {
                return clients.computeIfAbsent(OVERFLOW, k -> new Bucket(now));
            }
        }
        return clients.computeIfAbsent(key, k -> new Bucket(now));
    }

    private final class Bucket {
        private double tokens;
        private long refilled;
        private int active;

        Bucket(long now) {
            this.tokens = burst;
            this.refilled = now;
        }

        void refill(long now) {
            tokens = Math.min(burst, tokens + (now - refilled) * perNano);
            refilled = now;
        }

        synchronized boolean idle(long now) {
            refill(now);
            return active == 0 && tokens >= burst;
        }
    }

    private static final class Slot implements Permit {
        private final Bucket bucket;
        private boolean closed;

        Slot(Bucket bucket) {
            this.bucket = bucket;
        }

        @Override
        public void close() {
            synchronized (bucket) {
                if (!closed) {
                    closed = true;
                    bucket.active--;
                }
            }
        }
    }
}
