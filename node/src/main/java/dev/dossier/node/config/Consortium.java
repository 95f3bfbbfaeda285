package dev.dossier.node.config;

import static java.util.Objects.requireNonNull;

import dev.dossier.crypto.Pem;
import dev.dossier.crypto.PemException;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A consortium: the channel and chaincode its nodes serve, and its organisations, each with an MSP id, a root CA
 * certificate, nodes and users. Immutable; lists are copied. Paths are absolute once loaded.
 *
 * <p>The file form, {@code consortium.yaml}, holds paths relative to the file's own directory:
 *
 * <pre>{@code
 * version: 1
 * channel: dossier
 * chaincode: notary
 * organisations:
 * - name: org1
 *   mspId: Org1MSP
 *   domain: org1.dossier.local
 *   caCertificate: organizations/peerOrganizations/org1.dossier.local/ca/ca.org1.dossier.local-cert.pem
 *   nodes:
 *   - name: node0.org1.dossier.local
 *     host: localhost
 *     port: 7051
 *     certificate: organizations/.../msp/signcerts/node0.org1.dossier.local-cert.pem
 *     privateKey: organizations/.../msp/keystore/priv_sk
 *   users:
 *   - name: Issuer@org1.dossier.local
 *     role: issuer
 *     certificate: ...
 *     privateKey: ...
 * }</pre>
 *
 * @param channel the channel name, as Fabric allows it ({@code [a-z][a-z0-9.-]*})
 * @param chaincode the chaincode name, as Fabric allows it ({@code [A-Za-z0-9]+([-_][A-Za-z0-9]+)*})
 * @param organisations the organisations, at least one, with distinct names and MSP ids
 */
public record Consortium(String channel, String chaincode, List<Organisation> organisations) {
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9.-]{0,248}");
    private static final Pattern CHAINCODE = Pattern.compile("[A-Za-z0-9]+([-_][A-Za-z0-9]+)*");

    /**
     * @throws NullPointerException if an argument or element is null
     * @throws IllegalArgumentException if a name is not valid for Fabric, there is no organisation, or organisation
     *     names, MSP ids, node names, user names or node addresses repeat
     */
    public Consortium {
        requireNonNull(channel, "channel");
        requireNonNull(chaincode, "chaincode");
        organisations = List.copyOf(requireNonNull(organisations, "organisations"));
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel name '" + channel + "' is not valid for Fabric");
        }
        if (!CHAINCODE.matcher(chaincode).matches()) {
            throw new IllegalArgumentException("chaincode name '" + chaincode + "' is not valid for Fabric");
        }
        if (organisations.isEmpty()) {
            throw new IllegalArgumentException("no organisation");
        }
        Set<String> seen = new HashSet<>();
        for (Organisation organisation : organisations) {
            unique(seen, "organisation " + organisation.name());
            unique(seen, "MSP id " + organisation.mspId());
            for (Node node : organisation.nodes()) {
                unique(seen, "identity " + node.name());
                unique(seen, "address " + node.host() + ":" + node.port());
            }
            for (User user : organisation.users()) {
                unique(seen, "identity " + user.name());
            }
        }
    }

    private static void unique(Set<String> seen, String what) {
        if (!seen.add(what)) {
            throw new IllegalArgumentException("duplicate " + what);
        }
    }

    /**
     * An organisation.
     *
     * @param name short name, such as {@code org1}
     * @param mspId MSP id, such as {@code Org1MSP}
     * @param domain DNS-style domain that names its identities, such as {@code org1.dossier.local}
     * @param caCertificate PEM file of the root CA certificate that issues its identities
     * @param nodes its ledger nodes
     * @param users its client identities
     */
    public record Organisation(
            String name, String mspId, String domain, Path caCertificate, List<Node> nodes, List<User> users) {
        /**
         * @throws NullPointerException if an argument or element is null
         * @throws IllegalArgumentException if a name is blank
         */
        public Organisation {
            notBlank(name, "name");
            notBlank(mspId, "mspId");
            notBlank(domain, "domain");
            requireNonNull(caCertificate, "caCertificate");
            nodes = List.copyOf(requireNonNull(nodes, "nodes"));
            users = List.copyOf(requireNonNull(users, "users"));
        }

        /**
         * @return the organisation's first user with {@code role} (its {@code dossier.role}, such as {@code issuer})
         * @throws java.util.NoSuchElementException if it has none
         */
        public User user(String role) {
            return users.stream().filter(u -> u.role().equals(role)).findFirst().orElseThrow();
        }
    }

    /**
     * A ledger node and its signing identity.
     *
     * @param name unique name, such as {@code node0.org1.dossier.local}
     * @param host host name or address it listens on and is reached at
     * @param port gRPC port
     * @param certificate PEM file of its signing certificate
     * @param privateKey PEM file of its private key
     */
    public record Node(String name, String host, int port, Path certificate, Path privateKey) {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if a name is blank or the port is not in [1, 65535]
         */
        public Node {
            notBlank(name, "name");
            notBlank(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " of " + name + " is not in [1, 65535]");
            }
            requireNonNull(certificate, "certificate");
            requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * A client identity.
     *
     * @param name unique name, such as {@code Issuer@org1.dossier.local}
     * @param role its {@code dossier.role} attribute, such as {@code issuer}
     * @param certificate PEM file of its signing certificate
     * @param privateKey PEM file of its private key
     */
    public record User(String name, String role, Path certificate, Path privateKey) {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if a name is blank
         */
        public User {
            notBlank(name, "name");
            notBlank(role, "role");
            requireNonNull(certificate, "certificate");
            requireNonNull(privateKey, "privateKey");
        }
    }

    /**
     * Loads a consortium from its YAML file, resolving paths against the file's directory, and reads every
     * organisation's CA certificate to check it.
     *
     * <pre>{@code
     * Consortium consortium = Consortium.load(Path.of("network/consortium.yaml"));
     * IdentityValidator validator = new IdentityValidator(consortium.msps());
     * }</pre>
     *
     * @param consortiumYaml the {@code consortium.yaml}
     * @return the consortium, with absolute normalised paths
     * @throws IOException if the file cannot be read, is not a version-1 consortium file, breaks a rule of the
     *     records above, or a CA certificate cannot be read
     * @throws NullPointerException if {@code consortiumYaml} is null
     */
    public static Consortium load(Path consortiumYaml) throws IOException {
        requireNonNull(consortiumYaml, "consortiumYaml");
        Consortium consortium =
                ConsortiumFile.read(consortiumYaml.toAbsolutePath().normalize());
        try {
            consortium.msps();
        } catch (UncheckedIOException unreadable) {
            throw unreadable.getCause();
        }
        return consortium;
    }

    /** Writes the consortium as {@code consortiumYaml}, with paths relative to its directory where possible. */
    public void write(Path consortiumYaml) throws IOException {
        ConsortiumFile.write(this, consortiumYaml);
    }

    /**
     * Reads each organisation's CA certificate and revocation lists: the PEM files in {@link #crlDirectory}, as in
     * Fabric's MSP layout ({@code msp/crls/}).
     *
     * @return one MSP per organisation, in order, trusting its CA certificate
     * @throws UncheckedIOException if a CA certificate or CRL file cannot be read or is malformed
     */
    public List<Msp> msps() {
        List<Msp> msps = new ArrayList<>(organisations.size());
        for (Organisation organisation : organisations) {
            msps.add(new Msp(
                    organisation.mspId(),
                    List.of(readCertificate(organisation.caCertificate())),
                    readCrls(crlDirectory(organisation))));
        }
        return List.copyOf(msps);
    }

    /**
     * @return where an organisation's revocation lists live: {@code msp/crls/} of its organisation folder (beside the
     *     {@code ca/} folder of its CA certificate)
     */
    public static Path crlDirectory(Organisation organisation) {
        return organisation
                .caCertificate()
                .toAbsolutePath()
                .getParent()
                .resolveSibling("msp")
                .resolve("crls");
    }

    private static List<X509CRL> readCrls(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<X509CRL> crls = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                crls.addAll(Pem.readCrls(file));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return List.copyOf(crls);
    }

    /**
     * The mutual TLS of a node, from the Fabric layout {@code network init} writes: its {@code tls/server.crt} and
     * {@code server.key} (beside its {@code msp/} folder) and every organisation's TLS CA ({@code msp/tlscacerts/}).
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws UncheckedIOException if a TLS CA folder cannot be listed
     */
    public TlsSettings tls(String nodeName) {
        Path certificate = tlsCertificate(nodeName);
        List<Path> roots = new ArrayList<>();
        for (Organisation organisation : organisations) {
            Path folder = crlDirectory(organisation).resolveSibling("tlscacerts");
            try (var files = Files.list(folder)) {
                files.filter(Files::isRegularFile).sorted().forEach(roots::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TlsSettings(certificate, certificate.resolveSibling("server.key"), roots);
    }

    /**
     * @return where the TLS certificate of a node is in the Fabric layout ({@code tls/server.crt} beside its {@code
     *     msp/} folder); the file is not read
     * @throws IllegalArgumentException if there is no such node
     */
    public Path tlsCertificate(String nodeName) {
        Node node = nodes().stream()
                .filter(n -> n.name().equals(nodeName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + nodeName + " in the consortium"));
        return node.certificate()
                .toAbsolutePath()
                .getParent()
                .getParent()
                .resolveSibling("tls")
                .resolve("server.crt");
    }

    /** @return every node of every organisation, in order */
    public List<Node> nodes() {
        return organisations.stream().flatMap(o -> o.nodes().stream()).toList();
    }

    /**
     * Loads the signing identity of a node or user from its PEM files.
     *
     * @param name the node or user name, such as {@code node0.org1.dossier.local} or {@code Admin@org1.dossier.local}
     * @return its signer, under its organisation's MSP id
     * @throws IOException if its files cannot be read or do not match
     * @throws IllegalArgumentException if no node or user has that name
     * @throws NullPointerException if {@code name} is null
     */
    public Signer signer(String name) throws IOException {
        requireNonNull(name, "name");
        for (Organisation organisation : organisations) {
            for (Node node : organisation.nodes()) {
                if (node.name().equals(name)) {
                    return Signer.fromPem(organisation.mspId(), node.certificate(), node.privateKey());
                }
            }
            for (User user : organisation.users()) {
                if (user.name().equals(name)) {
                    return Signer.fromPem(organisation.mspId(), user.certificate(), user.privateKey());
                }
            }
        }
        throw new IllegalArgumentException("no node or user named " + name);
    }

    /**
     * @return the PEM file of the signing certificate of the node or user named {@code name}
     * @throws IllegalArgumentException if no node or user has that name
     */
    public Path signerCertificate(String name) {
        for (Organisation organisation : organisations) {
            for (Node node : organisation.nodes()) {
                if (node.name().equals(name)) {
                    return node.certificate();
                }
            }
            for (User user : organisation.users()) {
                if (user.name().equals(name)) {
                    return user.certificate();
                }
            }
        }
        throw new IllegalArgumentException("no node or user named " + name);
    }

    private static X509Certificate readCertificate(Path pem) {
        try {
            return Pem.readCertificate(pem);
        } catch (PemException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static void notBlank(String value, String name) {
        requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
