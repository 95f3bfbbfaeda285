package dev.dossier.chaincode.ccaas;

import java.io.IOException;
import java.io.PrintStream;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.NettyChaincodeServer;

/**
 * Runs the contracts on the class path (in the chaincode server jar: {@code NotaryContract}) as a chaincode server
 * for Hyperledger Fabric's chaincode-as-a-service: the peer, through its {@code ccaas} external builder, dials the
 * address in the installed package's {@code connection.json} and speaks the chaincode protocol ({@code
 * protos.Chaincode/Connect}) to this server. Contracts are found and dispatched by the shim's {@link ContractRouter},
 * exactly as in a peer-launched Java chaincode, and served by the shim's {@link NettyChaincodeServer}.
 *
 * <p>Configured by environment variables only (see {@link ServerConfig}): {@code CHAINCODE_SERVER_ADDRESS},
 * {@code CHAINCODE_ID} (or {@code CORE_CHAINCODE_ID_NAME}) and, for TLS, {@code CHAINCODE_TLS_KEY},
 * {@code CHAINCODE_TLS_CERT} and {@code CHAINCODE_CLIENT_CA_CERT}.
 *
 * <pre>{@code
 * CHAINCODE_SERVER_ADDRESS=0.0.0.0:9999 CHAINCODE_ID=notary_1.0:5f0c...e1 \
 *     java -jar dossier-chaincode-0.1.0-SNAPSHOT-ccaas.jar
 * }</pre>
 *
 * <p>Exit status 2 for a configuration error (the message names the variable), 1 if the server cannot start; it
 * serves until the JVM is stopped (SIGTERM stops it through the shim's shutdown hook).
 */
public final class Server {
    private static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: CHAINCODE_SERVER_ADDRESS=HOST:PORT CHAINCODE_ID=LABEL:HASH java -jar dossier-chaincode-*-ccaas.jar",
            "Serves the Dossier notary chaincode to Hyperledger Fabric peers (chaincode as a service).",
            "  CHAINCODE_SERVER_ADDRESS   address to listen on, such as 0.0.0.0:9999",
            "  CHAINCODE_ID               the package ID printed by 'peer lifecycle chaincode install'",
            "                             (CORE_CHAINCODE_ID_NAME is accepted too)",
            "  CHAINCODE_TLS_KEY          PEM private key (PKCS#8) to serve TLS with, with CHAINCODE_TLS_CERT",
            "  CHAINCODE_TLS_CERT         PEM certificate chain to serve TLS with",
            "  CHAINCODE_CLIENT_CA_CERT   PEM CA certificates of the peers' client certificates (requires them)",
            "  CHAINCODE_TLS_DISABLED     true to ignore the TLS variables",
            "  CORE_CHAINCODE_LOGGING_LEVEL, CORE_CHAINCODE_LOGGING_SHIM   log levels (default INFO)");

    private Server() {}

    /**
     * Starts the server and serves until the JVM stops.
     *
     * @param args none, or {@code --help}
     * @throws IOException if the server cannot listen on the address or read its TLS files
     * @throws InterruptedException if interrupted while serving
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0) {
            boolean help = args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
            PrintStream out = help ? System.out : System.err;
            if (!help) {
                out.println("dossier chaincode server: no arguments expected; it is configured by the environment");
            }
            out.println(USAGE);
            System.exit(help ? 0 : 2);
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("dossier chaincode server: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        serve(config);
    }

    private static void serve(ServerConfig config) throws IOException, InterruptedException {
        // The shim reads the chaincode id from -i (the environment variable it reads itself is CORE_CHAINCODE_ID_NAME).
        ContractRouter router = new ContractRouter(new String[] {"-i", config.chaincodeId()});
        ChaincodeServer server = new NettyChaincodeServer(router, config.properties());
        // The router then scans the class path for contracts; the server listens once that is done.
        System.err.println("dossier chaincode server: starting " + config.chaincodeId() + " on " + config.address()
                + (config.tls()
                        ? " (TLS" + (config.clientCaCerts() != null ? ", client certificates required)" : ")")
                        : " (plaintext)"));
        router.startRouterWithChaincodeServer(server);
    }
}
