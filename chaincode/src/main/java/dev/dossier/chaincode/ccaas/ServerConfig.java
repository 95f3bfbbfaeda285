package dev.dossier.chaincode.ccaas;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;

/**
 * The chaincode server's settings, read from environment variables named as in fabric-samples' chaincode-as-a-service
 * servers:
 *
 * <ul>
 *   <li>{@value #ADDRESS}: {@code host:port} to listen on, such as {@code 0.0.0.0:9999}; required;
 *   <li>{@value #ID} (or the shim's {@value #ID_LEGACY}): the package ID that {@code peer lifecycle chaincode install}
 *       printed, {@code <label>:<sha256 hex>}; required; if both are set they must be equal;
 *   <li>{@value #TLS_KEY} and {@value #TLS_CERT}: PEM files (PKCS#8 key, certificate chain) to serve TLS with; both or
 *       neither;
 *   <li>{@value #CLIENT_CA}: a PEM file of the CA certificates that sign the peers' TLS client certificates; with it
 *       the server requires a client certificate (the peer's {@code client_auth_required});
 *   <li>{@value #TLS_DISABLED}: {@code true} ignores the three TLS variables.
 * </ul>
 */
record ServerConfig(InetSocketAddress address, String chaincodeId, Path tlsKey, Path tlsCert, Path clientCaCerts) {
    static final String ADDRESS = "CHAINCODE_SERVER_ADDRESS";
    static final String ID = "CHAINCODE_ID";
    static final String ID_LEGACY = "CORE_CHAINCODE_ID_NAME";
    static final String TLS_DISABLED = "CHAINCODE_TLS_DISABLED";
    static final String TLS_KEY = "CHAINCODE_TLS_KEY";
    static final String TLS_CERT = "CHAINCODE_TLS_CERT";
    static final String CLIENT_CA = "CHAINCODE_CLIENT_CA_CERT";

    ServerConfig {
        requireNonNull(address, "address");
        requireNonNull(chaincodeId, "chaincodeId");
        if ((tlsKey == null) != (tlsCert == null)) {
            throw new IllegalArgumentException("a TLS key needs a TLS certificate, and the other way round");
        }
        if (clientCaCerts != null && tlsKey == null) {
            throw new IllegalArgumentException("client certificates can be required only when serving TLS");
        }
    }

    /**
     * Reads the settings from environment variables.
     *
     * @param env the variables, such as {@link System#getenv()}
     * @return the settings
     * @throws IllegalArgumentException naming the variable, if a required one is missing or empty, the address is not
     *     {@code host:port}, the two chaincode id variables differ, only one of key and certificate is set, the client
     *     CA is set without them, or a named file is not a readable regular file
     */
    static ServerConfig fromEnvironment(Map<String, String> env) {
        requireNonNull(env, "env");
        String address = value(env, ADDRESS);
        if (address == null) {
            throw new IllegalArgumentException(ADDRESS + " is not set: give the host:port to listen on, "
                    + "such as 0.0.0.0:9999 (the port of the address in the package's connection.json)");
        }
        String id = value(env, ID);
        String legacyId = value(env, ID_LEGACY);
        if (id != null && legacyId != null && !id.equals(legacyId)) {
            throw new IllegalArgumentException(ID + " (" + id + ") and " + ID_LEGACY + " (" + legacyId + ") differ");
        }
        id = id != null ? id : legacyId;
        if (id == null) {
            throw new IllegalArgumentException(ID + " is not set: give the package ID that "
                    + "'peer lifecycle chaincode install' printed (or calculatepackageid), <label>:<hash>");
        }
        Path key = null;
        Path cert = null;
        Path clientCa = null;
        if (!"true".equals(lower(value(env, TLS_DISABLED)))) {
            key = file(env, TLS_KEY);
            cert = file(env, TLS_CERT);
            clientCa = file(env, CLIENT_CA);
            if ((key == null) != (cert == null)) {
                throw new IllegalArgumentException(
                        "set both " + TLS_KEY + " and " + TLS_CERT + " to serve TLS, or neither to serve plaintext");
            }
            if (clientCa != null && key == null) {
                throw new IllegalArgumentException(
                        CLIENT_CA + " requires client certificates over TLS: set " + TLS_KEY + " and " + TLS_CERT);
            }
        }
        return new ServerConfig(hostAndPort(address), id, key, cert, clientCa);
    }

    /** @return whether the server serves TLS */
    boolean tls() {
        return tlsKey != null;
    }

    /** @return the shim's server settings: its defaults, this address and TLS */
    ChaincodeServerProperties properties() {
        ChaincodeServerProperties properties = new ChaincodeServerProperties();
        properties.setServerAddress(address);
        if (tls()) {
            properties.setTlsEnabled(true);
            properties.setKeyFile(tlsKey.toString());
            properties.setKeyCertChainFile(tlsCert.toString());
            if (clientCaCerts != null) {
                properties.setTrustCertCollectionFile(clientCaCerts.toString());
            }
        }
        return properties;
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static Path file(Map<String, String> env, String name) {
        String value = value(env, name);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(name + " names " + value + ", which is not a readable file");
        }
        return path;
    }

    /** Parses {@code host:port}; the host may be a bracketed IPv6 literal. */
    static InetSocketAddress hostAndPort(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon > 0 ? address.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = -1;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    ADDRESS + " must be host:port with a port from 1 to 65535, got '" + address + "'");
        }
        InetSocketAddress socketAddress = new InetSocketAddress(host, port);
        if (socketAddress.isUnresolved()) {
            throw new IllegalArgumentException(ADDRESS + " names host '" + host + "', which does not resolve");
        }
        return socketAddress;
    }
}
