package dev.dossier.chaincode.ccaas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static final String ID = "notary_1.0:0123456789abcdef";

    @TempDir
    Path dir;

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void fromEnvironment_addressAndId_servesPlaintext() {
        ServerConfig config =
                ServerConfig.fromEnvironment(env("CHAINCODE_SERVER_ADDRESS", "0.0.0.0:9999", "CHAINCODE_ID", ID));

        assertThat(config.address()).isEqualTo(new InetSocketAddress("0.0.0.0", 9999));
        assertThat(config.chaincodeId()).isEqualTo(ID);
        assertThat(config.tls()).isFalse();
        ChaincodeServerProperties properties = config.properties();
        assertThat(properties.getServerAddress()).isEqualTo(config.address());
        assertThat(properties.isTlsEnabled()).isFalse();
    }

    @Test
    void fromEnvironment_shimIdVariable_isAccepted() {
        ServerConfig config = ServerConfig.fromEnvironment(
                env("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CORE_CHAINCODE_ID_NAME", ID));

        assertThat(config.chaincodeId()).isEqualTo(ID);
    }

    @Test
    void fromEnvironment_bothIdVariablesEqual_isAccepted() {
        ServerConfig config = ServerConfig.fromEnvironment(
                env("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CHAINCODE_ID", ID, "CORE_CHAINCODE_ID_NAME", ID));

        assertThat(config.chaincodeId()).isEqualTo(ID);
    }

    @Test
    void fromEnvironment_idVariablesDiffer_throws() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env(
                        "CHAINCODE_SERVER_ADDRESS",
                        "127.0.0.1:9999",
                        "CHAINCODE_ID",
                        ID,
                        "CORE_CHAINCODE_ID_NAME",
                        "notary_1.0:other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CHAINCODE_ID (" + ID + ") and CORE_CHAINCODE_ID_NAME (notary_1.0:other) differ");
    }

    @Test
    void fromEnvironment_noAddress_throwsNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env("CHAINCODE_ID", ID)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CHAINCODE_SERVER_ADDRESS is not set");
    }

    @Test
    void fromEnvironment_blankId_throwsNamingTheVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(
                        env("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CHAINCODE_ID", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CHAINCODE_ID is not set");
    }

    @Test
    void fromEnvironment_malformedAddresses_throw() {
        for (String address : new String[] {"9999", ":9999", "host:", "host:0", "host:65536", "host:99x"}) {
            assertThatThrownBy(() ->
                            ServerConfig.fromEnvironment(env("CHAINCODE_SERVER_ADDRESS", address, "CHAINCODE_ID", ID)))
                    .as(address)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("CHAINCODE_SERVER_ADDRESS must be host:port");
        }
    }

    @Test
    void hostAndPort_bracketedIpv6_isParsed() {
        assertThat(ServerConfig.hostAndPort("[::1]:9999")).isEqualTo(new InetSocketAddress("::1", 9999));
    }

    @Test
    void fromEnvironment_keyAndCertificate_servesTls_andClientCaRequiresClientCertificates() throws Exception {
        Path key = Files.writeString(dir.resolve("server.key"), "key");
        Path cert = Files.writeString(dir.resolve("server.crt"), "cert");
        Path ca = Files.writeString(dir.resolve("ca.crt"), "ca");

        ServerConfig config = ServerConfig.fromEnvironment(env(
                "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999",
                "CHAINCODE_ID", ID,
                "CHAINCODE_TLS_KEY", key.toString(),
                "CHAINCODE_TLS_CERT", cert.toString(),
                "CHAINCODE_CLIENT_CA_CERT", ca.toString()));

        assertThat(config.tls()).isTrue();
        ChaincodeServerProperties properties = config.properties();
        assertThat(properties.isTlsEnabled()).isTrue();
        assertThat(properties.getKeyFile()).isEqualTo(key.toString());
        assertThat(properties.getKeyCertChainFile()).isEqualTo(cert.toString());
        assertThat(properties.getTrustCertCollectionFile()).isEqualTo(ca.toString());
    }

    @Test
    void fromEnvironment_keyWithoutCertificate_throws() throws Exception {
        Path key = Files.writeString(dir.resolve("server.key"), "key");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env(
                        "CHAINCODE_SERVER_ADDRESS",
                        "127.0.0.1:9999",
                        "CHAINCODE_ID",
                        ID,
                        "CHAINCODE_TLS_KEY",
                        key.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set both CHAINCODE_TLS_KEY and CHAINCODE_TLS_CERT");
    }

    @Test
    void fromEnvironment_clientCaWithoutTls_throws() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "ca");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env(
                        "CHAINCODE_SERVER_ADDRESS",
                        "127.0.0.1:9999",
                        "CHAINCODE_ID",
                        ID,
                        "CHAINCODE_CLIENT_CA_CERT",
                        ca.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CHAINCODE_CLIENT_CA_CERT requires client certificates over TLS");
    }

    @Test
    void fromEnvironment_missingTlsFile_throwsNamingTheVariable() {
        Path missing = dir.resolve("missing.key");

        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env(
                        "CHAINCODE_SERVER_ADDRESS",
                        "127.0.0.1:9999",
                        "CHAINCODE_ID",
                        ID,
                        "CHAINCODE_TLS_KEY",
                        missing.toString(),
                        "CHAINCODE_TLS_CERT",
                        missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CHAINCODE_TLS_KEY names " + missing + ", which is not a readable file");
    }

    @Test
    void fromEnvironment_tlsDisabled_ignoresTheTlsVariables() {
        ServerConfig config = ServerConfig.fromEnvironment(env(
                "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999",
                "CHAINCODE_ID", ID,
                "CHAINCODE_TLS_DISABLED", "TRUE",
                "CHAINCODE_TLS_KEY", "/nonexistent/key"));

        assertThat(config.tls()).isFalse();
    }
}
