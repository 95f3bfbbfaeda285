package dev.dossier.common.net;

import java.net.URI;
import java.util.Objects;

/**
 * The one rule that tells a node's HTTP API from its gateway: unless configured otherwise, a node serves HTTP on its
 * gateway (gRPC) port plus {@value #HTTP_PORT_OFFSET}, on the same host. The node uses it for its default HTTP port,
 * clients to find a node's HTTP API from its gateway address; the launcher's {@code node_http_url} shell function
 * states the same rule for the scripts.
 *
 * <pre>{@code
 * NodeAddress.httpPort(7051);                      // 9051
 * NodeAddress.httpUrl("peer0.org1.example:7051");  // http://peer0.org1.example:9051
 * }</pre>
 */
public final class NodeAddress {
    /** A node's HTTP port is its gateway port plus this, unless configured otherwise. */
    public static final int HTTP_PORT_OFFSET = 2000;

    private static final int MAX_PORT = 65_535;

    private NodeAddress() {}

    /**
     * @param grpcPort the gateway's port, 0 for any free port
     * @return the default HTTP port of a node whose gateway listens on {@code grpcPort}: {@code grpcPort +}
     *     {@value #HTTP_PORT_OFFSET}, or 0 (any free port) when {@code grpcPort} is 0
     * @throws IllegalArgumentException if {@code grpcPort} is not a port, or leaves no HTTP port below 65536
     */
    public static int httpPort(int grpcPort) {
        if (grpcPort < 0 || grpcPort > MAX_PORT) {
            throw new IllegalArgumentException("gateway port out of range: " + grpcPort);
        }
        if (grpcPort == 0) {
            return 0;
        }
        int httpPort = grpcPort + HTTP_PORT_OFFSET;
        if (httpPort > MAX_PORT) {
            throw new IllegalArgumentException("gateway port " + grpcPort + " leaves no default HTTP port (port + "
                    + HTTP_PORT_OFFSET + " > " + MAX_PORT + "): configure the HTTP port");
        }
        return httpPort;
    }

    /**
     * @param grpcAddress a node's gateway address, {@code host:port} (an IPv6 host in brackets)
     * @return the node's HTTP API by the default rule: {@code http://host:}{@link #httpPort httpPort(port)}
     * @throws IllegalArgumentException if {@code grpcAddress} is not {@code host:port} with a port from 1 to 65535
     *     leaving room for the HTTP port
     */
    public static URI httpUrl(String grpcAddress) {
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        int colon = grpcAddress.lastIndexOf(':');
        String host = colon > 0 ? grpcAddress.substring(0, colon) : "";
        if (host.isEmpty() || (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]")))) {
            throw new IllegalArgumentException(
                    "not a gateway address host:port (an IPv6 host in brackets): '" + grpcAddress + "'");
        }
        int port;
        try {
            port = Integer.parseInt(grpcAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port of gateway address '" + grpcAddress + "' is not a number", e);
        }
        if (port == 0) {
            throw new IllegalArgumentException("gateway address '" + grpcAddress + "' has port 0");
        }
        return URI.create("http://" + host + ":" + httpPort(port));
    }
}
