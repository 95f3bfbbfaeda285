package dev.dossier.client.transport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the client says when the address it was given for a node's HTTP API answers no HTTP. */
class NodeApiTest {
    @Test
    void nothingListening_namesTheCauseAndWhatToDo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> new NodeApi(base).trust())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no answer from a Dossier node's HTTP API at " + base + " (ConnectException")
                .hasMessageContaining("which a Fabric peer does not serve")
                .hasMessageContaining("--node-url")
                .hasMessageNotContaining("null");
    }

    /** A Fabric peer's port: it takes the connection and closes it without an HTTP answer. */
    @Test
    void portThatClosesWithoutAnswer_namesTheCauseAndWhatToDo() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                try (Socket accepted = s.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException ignored) {
                    // the test's client side failing is what is checked
                }
            });
            closer.start();
            URI base = URI.create("http://127.0.0.1:" + s.getLocalPort());
            assertThatThrownBy(() -> new NodeApi(base).trust())
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("no answer from a Dossier node's HTTP API at " + base + " (")
                    .hasMessageContaining("which a Fabric peer does not serve")
                    .hasMessageNotContaining(": null");
            closer.join(10_000);
        }
    }
}
