package dev.dossier.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientLimiterTest {
    private final AtomicLong now = new AtomicLong();

    private static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void acquire_burstThenRate_refillsOverTime() throws Exception {
        ClientLimiter limiter = new ClientLimiter(10, 3, 100, 100, now::get);
        InetAddress client = address("192.0.2.1");
        for (int i = 0; i < 3; i++) {
            limiter.acquire(client).permit().orElseThrow().close();
        }
        ClientLimiter.Decision refused = limiter.acquire(client);
        assertThat(refused.permit()).isEmpty();
        assertThat(refused.refusal()).isEqualTo(ClientLimiter.Refusal.RATE);
        now.addAndGet(100_000_000L); // 100 ms: one token at 10 per second
        assertThat(limiter.acquire(client).permit()).isPresent();
        assertThat(limiter.acquire(client).permit()).isEmpty();
    }

    @Test
    void acquire_otherAddress_hasItsOwnBucket() throws Exception {
        ClientLimiter limiter = new ClientLimiter(1, 1, 1, 100, now::get);
        limiter.acquire(address("192.0.2.1")).permit().orElseThrow().close();
        assertThat(limiter.acquire(address("192.0.2.1")).permit()).isEmpty();
        assertThat(limiter.acquire(address("192.0.2.2")).permit()).isPresent();
    }

    @Test
    void acquire_concurrentLimit_releasedOnClose_once() throws Exception {
        ClientLimiter limiter = new ClientLimiter(1000, 1000, 2, 100, now::get);
        InetAddress client = address("192.0.2.1");
        ClientLimiter.Permit first = limiter.acquire(client).permit().orElseThrow();
        ClientLimiter.Permit second = limiter.acquire(client).permit().orElseThrow();
        ClientLimiter.Decision third = limiter.acquire(client);
        assertThat(third.refusal()).isEqualTo(ClientLimiter.Refusal.CONCURRENCY);
        first.close();
        first.close();
        assertThat(limiter.acquire(client).permit()).isPresent();
        assertThat(limiter.acquire(client).refusal()).isEqualTo(ClientLimiter.Refusal.CONCURRENCY);
        second.close();
    }

    @Test
    void clientKey_ipv6_countsPer64() throws Exception {
        assertThat(ClientLimiter.clientKey(address("2001:db8:1:2:aaaa::1")))
                .isEqualTo(ClientLimiter.clientKey(address("2001:db8:1:2:bbbb::9")))
                .isNotEqualTo(ClientLimiter.clientKey(address("2001:db8:1:3::1")));
        assertThat(ClientLimiter.clientKey(address("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void manyAddresses_tableStaysBounded_newOnesShareTheOverflowEntry() throws Exception {
        ClientLimiter limiter = new ClientLimiter(1, 1, 1, 4, now::get);
        List<ClientLimiter.Permit> held = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            held.add(limiter.acquire(address("192.0.2." + i)).permit().orElseThrow());
        }
        assertThat(limiter.acquire(address("192.0.2.50")).permit()).isPresent();
        assertThat(limiter.acquire(address("192.0.2.51")).permit())
                .as("shares the overflow entry with .50")
                .isEmpty();
        assertThat(limiter.tracked()).isEqualTo(5);
        held.forEach(ClientLimiter.Permit::close);
        now.addAndGet(2_000_000_000L);
        assertThat(limiter.acquire(address("192.0.2.52")).permit())
                .as("idle entries dropped")
                .isPresent();
        assertThat(limiter.tracked()).isLessThanOrEqualTo(5);
    }

    @Test
    void limits_fromProperties_overrideDefaults_andRejectNonsense() {
        Properties properties = new Properties();
        properties.setProperty("dossier.http.threads", "16");
        properties.setProperty("dossier.http.requestTimeoutMillis", "2500");
        HttpLimits limits = HttpLimits.fromProperties(properties);
        assertThat(limits.threads()).isEqualTo(16);
        assertThat(limits.requestTimeout().toMillis()).isEqualTo(2500);
        assertThat(limits.maxConnections()).isEqualTo(HttpLimits.defaults().maxConnections());
        properties.setProperty("dossier.http.maxConnections", "zero");
        assertThatThrownBy(() -> HttpLimits.fromProperties(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dossier.http.maxConnections");
        properties.setProperty("dossier.http.maxConnections", "8");
        assertThatThrownBy(() -> HttpLimits.fromProperties(properties))
                .hasMessageContaining("maxConnectionsPerAddress 64 exceeds maxConnections 8");
    }
}
