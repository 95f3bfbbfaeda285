package dev.dossier.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class NodeAddressTest {
    @Test
    void httpPort_isTheGatewayPortPlus2000_andZeroStaysAnyFreePort() {
        assertThat(NodeAddress.httpPort(7051)).isEqualTo(9051);
        assertThat(NodeAddress.httpPort(63_535)).isEqualTo(65_535);
        assertThat(NodeAddress.httpPort(0)).isZero();
    }

    @Test
    void httpPort_beyondTheLastPortOrNotAPort_refusedWithTheReason() {
        assertThatThrownBy(() -> NodeAddress.httpPort(63_536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configure the HTTP port");
        assertThatThrownBy(() -> NodeAddress.httpPort(-1)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> NodeAddress.httpPort(65_536)).hasMessageContaining("out of range");
    }

    @Test
    void httpUrl_keepsTheHost_includingABracketedIpv6One() {
        assertThat(NodeAddress.httpUrl("peer0.org1.example:7051"))
                .isEqualTo(URI.create("http://peer0.org1.example:9051"));
        assertThat(NodeAddress.httpUrl("127.0.0.1:7451")).isEqualTo(URI.create("http://127.0.0.1:9451"));
        assertThat(NodeAddress.httpUrl("[::1]:7051")).isEqualTo(URI.create("http://[::1]:9051"));
    }

    @Test
    void httpUrl_notHostAndPort_refusedNamingTheAddress() {
        for (String bad :
                new String[] {"localhost", ":7051", "localhost:", "localhost:x", "::1:7051", "h:0", "h:99999"}) {
            assertThatThrownBy(() -> NodeAddress.httpUrl(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching(".*(gateway|port).*");
        }
    }
}
