package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dossier.client.Dossier;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.Connections;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.net.NodeAddress;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.crypto.PemException;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import picocli.CommandLine.Option;

/**
 * Options shared by the client commands: how to reach the ledger and as whom, and where the keys are.
 *
 * <p>Either {@code --network DIR} (a consortium made by {@code dossier network init}: the node's address and the
 * user's certificate and key are read from {@code DIR/consortium.yaml}) or {@code --endpoint}, {@code --msp-id} and
 * {@code --msp-dir} (any Fabric gateway peer and a user's MSP folder).
 *
 * <p>Keys: the issuer salt key and the sector pseudonym key are files holding 64 hexadecimal digits, created with
 * permissions 0600 on first use, by default {@code issuer-salt.key} and {@code sector-pseudonym.key} in the config
 * directory: {@code --config-dir}, else {@code $DOSSIER_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/dossier}, else
 * {@code ~/.config/dossier}. The latest checkpoint of each log that {@code dossier verify} accepted is kept there too,
 * in {@code checkpoints/} (see {@link dev.dossier.client.transport.CheckpointMemory}).
 */
final class ClientOptions {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Option(names = "--network", paramLabel = "DIR", description = "consortium directory (with consortium.yaml)")
    Path network;

    @Option(names = "--org", paramLabel = "MSPID", description = "organisation in --network (default: the first)")
    String organisation;

    @Option(names = "--user", paramLabel = "NAME|ROLE", description = "user in --network, by name or role")
    String user;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT", description = "gateway address (instead of --network)")
    String endpoint;

    @Option(names = "--msp-id", description = "MSP id of the identity (with --endpoint)")
    String mspId;

    @Option(names = "--msp-dir", paramLabel = "DIR", description = "the identity's MSP folder (signcerts/, keystore/)")
    Path mspDirectory;

    @Option(names = "--channel", description = "channel (default: the consortium's, else dossier)")
    String channel;

    @Option(names = "--chaincode", description = "chaincode (default: the consortium's, else notary)")
    String chaincode;

    @Option(names = "--config-dir", paramLabel = "DIR", description = "where the key files live (see docs/clients.md)")
    Path configDirectory;

    @Option(names = "--salt-key", paramLabel = "FILE", description = "issuer salt key file (created if missing)")
    Path saltKeyFile;

    @Option(
            names = "--pseudonym-key",
            paramLabel = "FILE",
            description = "sector pseudonym key file (created if missing)")
    Path pseudonymKeyFile;

    @Option(
            names = "--card-key",
            paramLabel = "FILE",
            description = "the organisation's card-signing key (PEM), listed in the trust file, to sign cards"
                    + " (default with --network: the organisation's current key in its cards/ folder)")
    Path cardKeyFile;

    @Option(
            names = "--node-url",
            paramLabel = "URL",
            description = "the node's HTTP API (default: the gateway's host, its port + " + NodeAddress.HTTP_PORT_OFFSET
                    + ")")
    URI nodeUrl;

    @Option(
            names = "--trust",
            paramLabel = "FILE",
            description = "the consortium's pinned checkpoint keys (default: trust.txt in --network)")
    Path trustFile;

    @Option(
            names = "--tls",
            description = "connect with TLS; the TLS files default to the tls/ folder beside the user's MSP folder")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "CA of the node's TLS certificate (implies --tls)")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "this client's TLS certificate (mutual TLS)")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "this client's TLS private key (mutual TLS)")
    Path tlsKey;

    @Option(
            names = "--tls-server-name",
            paramLabel = "NAME",
            description = "the name in the node's TLS certificate, when not the endpoint's host")
    String tlsServerName;

    /** @return the TLS settings asked for, or null for plaintext */
    private Connections.Tls tls(Path mspDir) {
        if (!tls && tlsCa == null) {
            return null;
        }
        Path folder = mspDir == null ? null : mspDir.resolveSibling("tls");
        Path ca = tlsCa != null ? tlsCa : folder == null ? null : folder.resolve("ca.crt");
        if (ca == null) {
            throw new IllegalArgumentException("--tls needs --tls-ca (or --network, with the user's tls/ folder)");
        }
        Path certificate = tlsCertificate != null
                ? tlsCertificate
                : folder != null && Files.exists(folder.resolve("client.crt")) ? folder.resolve("client.crt") : null;
        Path key = tlsKey != null
                ? tlsKey
                : folder != null && Files.exists(folder.resolve("client.key")) ? folder.resolve("client.key") : null;
        return new Connections.Tls(ca, certificate, key, tlsServerName);
    }

    /** @return the node HTTP API to use: {@code --node-url}, else the node's default beside its gateway address */
    URI nodeUrl() throws IOException {
        if (nodeUrl != null) {
            return nodeUrl;
        }
        String address = endpoint != null ? endpoint : firstNodeAddress(organisation());
        try {
            return NodeAddress.httpUrl(address);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "cannot tell the node's HTTP address from " + address + " (" + e.getMessage()
                            + "): give --node-url",
                    e);
        }
    }

    /** @return the pinned trust file: {@code --trust}, else {@code trust.txt} in {@code --network} */
    TrustFile trust() throws IOException {
        Path file = trustFile();
        try {
            return TrustFile.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoteException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** @return the organisation acted for: {@code --msp-id}, else the {@code --network} organisation's */
    String organisationMspId() throws IOException {
        return mspId != null ? mspId : organisation().path("mspId").asText();
    }

    /** @return the pinned trust file's path: {@code --trust}, else {@code trust.txt} in {@code --network} */
    Path trustFile() throws IOException {
        Path file = trustFile != null ? trustFile : network == null ? null : network.resolve("trust.txt");
        if (file == null) {
            throw new IOException("say which keys to trust: --trust FILE, or --network DIR with its trust.txt");
        }
        return file;
    }

    private JsonNode consortium() throws IOException {
        return YAML.readTree(network.resolve("consortium.yaml").toFile());
    }

    private JsonNode organisation() throws IOException {
        if (network == null) {
            throw new IOException("say where the ledger is: --network DIR, or --endpoint, --msp-id and --msp-dir");
        }
        for (JsonNode o : consortium().path("organisations")) {
            if (organisation == null
                    || organisation.equals(o.path("mspId").asText())
                    || organisation.equals(o.path("name").asText())) {
                return o;
            }
        }
        throw new IOException("no organisation " + organisation + " in " + network);
    }

    private static String firstNodeAddress(JsonNode org) {
        JsonNode node = org.path("nodes").path(0);
        return node.path("host").asText() + ":" + node.path("port").asText();
    }

    /** A connected client: the gateway, its channel and the Dossier over it. */
    record Session(ManagedChannel channel, Gateway gateway, Dossier dossier) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Session connect(String defaultRole, boolean withKeys) throws IOException {
        String address = endpoint;
        String msp = mspId;
        Path mspDir = mspDirectory;
        String channelName = channel;
        String chaincodeName = chaincode;
        if (network != null) {
            JsonNode consortium = consortium();
            JsonNode org = organisation();
            address = address != null ? address : firstNodeAddress(org);
            msp = msp != null ? msp : org.path("mspId").asText();
            if (mspDir == null) {
                String wanted = (user == null ? defaultRole : user).toLowerCase(Locale.ROOT);
                for (JsonNode u : org.path("users")) {
                    String name = u.path("name").asText().toLowerCase(Locale.ROOT);
                    if (u.path("role").asText().equalsIgnoreCase(wanted)
                            || name.equals(wanted)
                            || name.startsWith(wanted + "@")) {
                        mspDir = network.resolve(u.path("certificate").asText())
                                .getParent()
                                .getParent();
                        break;
                    }
                }
                if (mspDir == null) {
                    throw new IOException("no user " + wanted + " in organisation " + msp + " of " + network);
                }
            }
            channelName = channelName != null
                    ? channelName
                    : consortium.path("channel").asText("dossier");
            chaincodeName = chaincodeName != null
                    ? chaincodeName
                    : consortium.path("chaincode").asText("notary");
        }
        if (address == null || msp == null || mspDir == null) {
            throw new IOException("say where the ledger is: --network DIR, or --endpoint, --msp-id and --msp-dir");
        }
        ManagedChannel grpc = Connections.channel(address, tls(mspDir));
        Gateway gateway;
        try {
            gateway = Connections.gateway(msp, mspDir, grpc).connect();
        } catch (IOException | RuntimeException e) {
            grpc.shutdownNow();
            throw e;
        }
        Dossier.Builder builder = Dossier.newInstance()
                .contract(gateway.getNetwork(channelName == null ? "dossier" : channelName)
                        .getContract(chaincodeName == null ? "notary" : chaincodeName));
        if (withKeys) {
            builder.saltKey(HmacKey.loadOrCreate(saltKeyFile()));
            builder.pseudonymKey(HmacKey.loadOrCreate(pseudonymKeyFile()));
        } else if (java.nio.file.Files.exists(saltKeyFile())) {
            builder.saltKey(HmacKey.load(saltKeyFile()));
        }
        if (signsCards()) {
            builder.cardIssuer(cardIssuer());
        }
        return new Session(grpc, gateway, builder.build());
    }

    /** @return the signer of {@link #cardKeyFile()}, with its validity as the trust file lists it */
    CardIssuer cardIssuer() throws IOException {
        Path file = cardKeyFile();
        P256PrivateKey key;
        try {
            key = Pem.readPrivateKey(file);
        } catch (PemException e) {
            throw new IOException("card key " + file + ": " + e.getMessage(), e);
        }
        return CardIssuer.listed(key, trust().cardKeys());
    }

    /**
     * @return {@code --card-key}; else, with {@code --network}, the private key file of the organisation's current card
     *     key (valid today, the latest to start, as the trust file lists it) in the network's {@code cards/} folder;
     *     else null
     */
    Path cardKeyFile() throws IOException {
        if (cardKeyFile != null || network == null || !Files.exists(trustFile())) {
            return cardKeyFile;
        }
        String mspId = organisation().path("mspId").asText();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return trust().cardKeys().stream()
                .filter(k -> k.organisation().equals(mspId) && k.validOn(today))
                .filter(k -> Files.isRegularFile(k.privateKeyFile(network)))
                .max(Comparator.comparing(CardKey::validFrom))
                .map(k -> k.privateKeyFile(network))
                .orElse(null);
    }

    /** @return whether cards are signed: {@code --card-key} was given, or {@code --network} holds a current key */
    boolean signsCards() throws IOException {
        return cardKeyFile() != null;
    }

    Path saltKeyFile() {
        return saltKeyFile != null ? saltKeyFile : configDirectory().resolve("issuer-salt.key");
    }

    Path pseudonymKeyFile() {
        return pseudonymKeyFile != null ? pseudonymKeyFile : configDirectory().resolve("sector-pseudonym.key");
    }

    /** @return where the latest accepted checkpoint of each log is kept: {@code checkpoints/} in the config directory */
    Path checkpointDirectory() {
        return configDirectory().resolve("checkpoints");
    }

    /** @return where the revocation list of each log is kept for offline use: {@code revocations/} in the config directory */
    Path revocationDirectory() {
        return configDirectory().resolve("revocations");
    }

    Path configDirectory() {
        if (configDirectory != null) {
            return configDirectory;
        }
        String dossier = System.getenv("DOSSIER_CONFIG_DIR");
        if (dossier != null && !dossier.isBlank()) {
            return Path.of(dossier);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "dossier");
        }
        return Path.of(System.getProperty("user.home"), ".config", "dossier");
    }
}
