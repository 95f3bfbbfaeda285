package dev.dossier.node.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.crypto.CertificateBuilder;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.node.identity.FabricAttributes;
import dev.dossier.node.identity.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Generates a local consortium: for each organisation a root CA, one node and a set of users, with ECDSA P-256 keys
 * and certificates, written in the directory layout of Fabric's {@code cryptogen}, so that Fabric tooling and the
 * official fabric-gateway client can use the same files, plus a {@code consortium.yaml} describing it.
 *
 * <p>For {@code n} organisations, organisation {@code i} (from 1) has domain {@code org<i>.dossier.local}, MSP id
 * {@code Org<i>MSP}, and node {@code node0.org<i>.dossier.local} on {@code localhost} (or the host given for it),
 * port {@code firstPort + i - 1} ({@link FabricNames} changes the names: {@code org<i>.example.com},
 * {@code peer0.org<i>.example.com}, extra users).
 * Under {@code <out>/organizations/peerOrganizations/<domain>/}:
 *
 * <pre>
 * ca/ca.&lt;domain&gt;-cert.pem, ca/priv_sk                          the root CA (10 years)
 * tlsca/tlsca.&lt;domain&gt;-cert.pem, tlsca/priv_sk                  the TLS root CA (10 years)
 * msp/cacerts/ca.&lt;domain&gt;-cert.pem, msp/config.yaml             the organisation MSP (NodeOUs enabled)
 * msp/tlscacerts/tlsca.&lt;domain&gt;-cert.pem
 * peers/node0.&lt;domain&gt;/msp/{signcerts,keystore,cacerts,tlscacerts}/...   the node (OU=peer, 2 years)
 * peers/node0.&lt;domain&gt;/tls/{ca.crt,server.crt,server.key}     the node's TLS server identity (2 years)
 * users/&lt;User&gt;@&lt;domain&gt;/msp/{signcerts,keystore,cacerts}/...   each user (2 years)
 * users/&lt;User&gt;@&lt;domain&gt;/tls/{ca.crt,client.crt,client.key}  the user's TLS client identity (2 years)
 * </pre>
 *
 * <p>and {@code <out>/policy.json}: the role policy document ({@code network-config/policy.json}) listing the
 * consortium's MSP ids as its organisations, with {@code <out>/policy.signatures.json}, every organisation's
 * {@code Admin} signature of it: the channel's first policy, which the genesis block fixes (see {@link GenesisPolicy}).
 *
 * <p>Users and their {@code dossier.role}: {@code Admin} (operator, OU=admin), {@code Issuer}, {@code Employer},
 * {@code Delegate} (delegate: grants delegations of drafting and validates drafts),
 * {@code Inspector}, {@code Auditor}, {@code Worker1} and {@code Worker2} (worker), all others OU=client. Roles are
 * Fabric CA attributes (see {@link FabricAttributes}) beside Fabric CA's own {@code hf.EnrollmentID}, {@code hf.Type}
 * and {@code hf.Affiliation}. Workers also carry {@code dossier.subject}: a random 64-hex-digit placeholder pseudonym
 * each, until pseudonyms are derived from fiscal codes by the client.
 *
 * <p>TLS material is generated as {@code cryptogen} generates it: the node's server certificate ({@code CN=<node
 * name>}) has subject alternative names for the node name, its short host name, its configured host (an IP address as
 * an IP address name) and {@code 127.0.0.1}; each user's client certificate ({@code CN=<user>}) has none; both have key usage digitalSignature
 * and keyEncipherment and extended key usage serverAuth and clientAuth; {@code ca.crt} is the TLS CA certificate.
 *
 * <p>Certificates are SHA256withECDSA with random 128-bit serials, subjects {@code C=IT, O=<domain>, OU=<ou>,
 * CN=<name>}, subject and authority key identifiers (SHA-256 of the public point, as {@code cryptogen}); the CA
 * certificate has basicConstraints CA and keyCertSign; signing leaves have digitalSignature only. Private keys are
 * unencrypted PKCS#8 PEM files named {@code priv_sk} ({@code server.key} for TLS), readable by the owner only.
 *
 * <pre>{@code
 * Consortium consortium = CryptoGen.generate(Path.of("network"), 3, "dossier", "notary", 7051);
 * }</pre>
 */
public final class CryptoGen {
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration LEAF_VALIDITY = Duration.ofDays(730);
    /** Clock-skew allowance: certificates are valid from a little before their creation. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    /** File name of the policy document, in the output directory and among the node's resources. */
    static final String POLICY_FILE = "policy.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Users of each organisation: name and role. */
    static final Map<String, String> STANDARD_USERS = usersAndRoles();

    private final SecureRandom random = new SecureRandom();
    private final Instant notBefore = Instant.now().minus(BACKDATE).truncatedTo(ChronoUnit.SECONDS);

    private CryptoGen() {}

    private static Map<String, String> usersAndRoles() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("Admin", "operator");
        users.put("Issuer", "issuer");
        users.put("Employer", "employer");
        users.put("Delegate", "delegate");
        users.put("Inspector", "inspector");
        users.put("Auditor", "auditor");
        users.put("Worker1", "worker");
        users.put("Worker2", "worker");
        return Collections.unmodifiableMap(users);
    }

    /**
     * Generates a consortium in {@code outputDirectory}, which must be absent or empty.
     *
     * @param outputDirectory where to write; created if absent
     * @param organisations number of organisations, 1 to 99
     * @param channel channel name
     * @param chaincode chaincode name
     * @param firstPort port of the first organisation's node; the others follow
     * @return the consortium, as {@link Consortium#load} will read it back from {@code consortium.yaml}
     * @throws IOException if the directory is not empty or a file cannot be written
     * @throws IllegalArgumentException if the count, names or ports are out of range
     * @throws NullPointerException if an argument is null
     */
    public static Consortium generate(
            Path outputDirectory, int organisations, String channel, String chaincode, int firstPort)
            throws IOException {
        return generate(outputDirectory, organisations, channel, chaincode, firstPort, FabricNames.DOSSIER, List.of());
    }

    /**
     * Generates a consortium as {@link #generate(Path, int, String, String, int)} does, with the given names for its
     * domains, nodes and extra users (a Fabric network's, such as the test network's), and each node's host: the
     * address it listens on (gRPC, Raft, HTTP) and the one the other nodes and clients reach it at, also in its TLS
     * certificate (an IP address as an IP address name). Nodes on hosts of their own, such as network namespaces, may
     * share one port.
     *
     * @param names the organisations' domain, the node name and the extra users
     * @param hosts one host name or IP address per organisation, in order; empty: every node on {@code localhost}
     * @return the consortium, as {@link Consortium#load} will read it back from {@code consortium.yaml}
     * @throws IOException if the directory is not empty or a file cannot be written
     * @throws IllegalArgumentException if the count, names, hosts or ports are out of range, or {@code hosts} is
     *     neither empty nor one per organisation
     * @throws NullPointerException if an argument is null
     */
    public static Consortium generate(
            Path outputDirectory,
            int organisations,
            String channel,
            String chaincode,
            int firstPort,
            FabricNames names,
            List<String> hosts)
            throws IOException {
        requireNonNull(outputDirectory, "outputDirectory");
        requireNonNull(names, "names");
        requireNonNull(hosts, "hosts");
        if (!hosts.isEmpty() && hosts.size() != organisations) {
            throw new IllegalArgumentException(
                    hosts.size() + " hosts for " + organisations + " organisations: give one per organisation");
        }
        for (String host : hosts) {
            if (!host.matches("[A-Za-z0-9.:-]+")) {
                throw new IllegalArgumentException("host '" + host + "' is not a host name or IP address");
            }
        }
        requireNonNull(channel, "channel");
        requireNonNull(chaincode, "chaincode");
        if (organisations < 1 || organisations > 99) {
            throw new IllegalArgumentException("organisations " + organisations + " is not in [1, 99]");
        }
        if (firstPort < 1 || firstPort + organisations - 1 > 65535) {
            throw new IllegalArgumentException(
                    "ports " + firstPort + ".." + (firstPort + organisations - 1) + " are not in [1, 65535]");
        }
        Path out = outputDirectory.toAbsolutePath().normalize();
        Files.createDirectories(out);
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new FileAlreadyExistsException(out.toString(), null, "output directory is not empty");
            }
        }
        CryptoGen generator = new CryptoGen();
        List<Consortium.Organisation> organisationList = new ArrayList<>();
        for (int i = 1; i <= organisations; i++) {
            String host = hosts.isEmpty() ? "localhost" : hosts.get(i - 1);
            organisationList.add(generator.organisation(out, i, host, firstPort + i - 1, names));
        }
        Consortium consortium = new Consortium(channel, chaincode, organisationList);
        consortium.write(out.resolve("consortium.yaml"));
        List<Signer> operators = new ArrayList<>();
        for (Consortium.Organisation organisation : organisationList) {
            Consortium.User operator = organisation.user("operator");
            operators.add(Signer.fromPem(organisation.mspId(), operator.certificate(), operator.privateKey()));
        }
        GenesisPolicy.sign(policyDocument(organisationList), operators).write(out);
        return consortium;
    }

    /**
     * Generates one more organisation, number {@code number} (its MSP id is {@code Org<number>MSP}), in the layout of
     * {@link #generate}: its CA and TLS CA, one node listening on {@code host:port}, its users. For an organisation
     * that joins a running consortium by vote ({@code network add-org}): nothing of the consortium is read or changed.
     *
     * @param out the consortium directory to write its tree into ({@code organizations/peerOrganizations/...})
     * @return the organisation, with absolute paths
     * @throws IOException if a file cannot be written
     * @throws IllegalArgumentException if the number or port is out of range
     */
    public static Consortium.Organisation newOrganisation(Path out, int number, String host, int port)
            throws IOException {
        if (number < 1 || number > 99 || port < 1 || port > 65535) {
            throw new IllegalArgumentException("organisation " + number + " on port " + port + " is out of range");
        }
        return new CryptoGen().organisation(out.toAbsolutePath().normalize(), number, host, port, FabricNames.DOSSIER);
    }

    private Consortium.Organisation organisation(Path out, int number, String host, int port, FabricNames fabricNames)
            throws IOException {
        String domain = fabricNames.organisationDomain(number);
        String mspId = "Org" + number + "MSP";
        Path orgDirectory = out.resolve("organizations/peerOrganizations").resolve(domain);

        Ca ca = rootCa(orgDirectory.resolve("ca"), "ca." + domain, domain);
        Ca tlsCa = rootCa(orgDirectory.resolve("tlsca"), "tlsca." + domain, domain);
        MspFiles.writeCertificate(orgDirectory.resolve("msp/cacerts").resolve(ca.fileName()), ca.certificate());
        MspFiles.writeCertificate(
                orgDirectory.resolve("msp/tlscacerts").resolve(tlsCa.fileName()), tlsCa.certificate());
        MspFiles.writeNodeOuConfig(orgDirectory.resolve("msp"), ca.fileName());

        String nodeName = fabricNames.node(number);
        Path nodeDirectory = orgDirectory.resolve("peers").resolve(nodeName);
        Path[] nodeFiles =
                localMsp(nodeDirectory.resolve("msp"), nodeName, ca, name(domain, "peer", nodeName), Map.of());
        MspFiles.writeCertificate(
                nodeDirectory.resolve("msp/tlscacerts").resolve(tlsCa.fileName()), tlsCa.certificate());
        List<GeneralName> names = new ArrayList<>();
        boolean ipHost = host.contains(":") || host.matches("[0-9.]+");
        for (String dns : new LinkedHashSet<>(List.of(nodeName, nodeName.substring(0, nodeName.indexOf('.'))))) {
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        if (!ipHost && !host.equals(nodeName) && !host.equals(nodeName.substring(0, nodeName.indexOf('.')))) {
            names.add(new GeneralName(GeneralName.dNSName, host));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        if (ipHost && !host.equals("127.0.0.1")) {
            names.add(new GeneralName(GeneralName.iPAddress, host));
        }
        tlsIdentity(nodeDirectory.resolve("tls"), "server", tlsCa, name(domain, null, nodeName), names);
        List<Consortium.Node> nodes = List.of(new Consortium.Node(nodeName, host, port, nodeFiles[0], nodeFiles[1]));

        List<Consortium.User> users = new ArrayList<>();
        Map<String, String> allUsers = new LinkedHashMap<>(STANDARD_USERS);
        allUsers.putAll(fabricNames.extraUsers());
        for (Map.Entry<String, String> user : allUsers.entrySet()) {
            String userName = user.getKey() + "@" + domain;
            String role = user.getValue();
            boolean admin = role.equals("operator");
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("hf.EnrollmentID", userName);
            attributes.put("hf.Type", admin ? "admin" : "client");
            attributes.put("hf.Affiliation", "");
            attributes.put("dossier.role", role);
            if (role.equals("worker")) {
                attributes.put("dossier.subject", placeholderPseudonym());
            }
            Path userMsp = orgDirectory.resolve("users").resolve(userName).resolve("msp");
            Path[] userFiles =
                    localMsp(userMsp, userName, ca, name(domain, admin ? "admin" : "client", userName), attributes);
            tlsIdentity(userMsp.resolveSibling("tls"), "client", tlsCa, name(domain, null, userName), List.of());
            users.add(new Consortium.User(userName, role, userFiles[0], userFiles[1]));
        }
        return new Consortium.Organisation(
                "org" + number, mspId, domain, orgDirectory.resolve("ca").resolve(ca.fileName()), nodes, users);
    }

    /** Writes an MSP folder for one identity; returns its certificate and private key paths. */
    private Path[] localMsp(Path msp, String name, Ca ca, X500Name subject, Map<String, String> attributes)
            throws IOException {
        P256PrivateKey keys = P256PrivateKey.generate(random);
        X509Certificate certificate = issue(ca, subject, keys.publicKey(), Profile.SIGNING, attributes, null);
        Path certificatePath =
                MspFiles.writeCertificate(msp.resolve("signcerts").resolve(name + "-cert.pem"), certificate);
        Path keyPath = MspFiles.writePrivateKey(msp.resolve("keystore/priv_sk"), keys);
        MspFiles.writeCertificate(msp.resolve("cacerts").resolve(ca.fileName()), ca.certificate());
        MspFiles.writeNodeOuConfig(msp, ca.fileName());
        return new Path[] {certificatePath, keyPath};
    }

    /** Generates a self-signed root CA ({@code CN=<name>}) and writes {@code <name>-cert.pem} and {@code priv_sk}. */
    private Ca rootCa(Path directory, String name, String domain) throws IOException {
        P256PrivateKey keys = P256PrivateKey.generate(random);
        X500Name subject = name(domain, null, name);
        Ca self = new Ca(subject, keys, null, null);
        X509Certificate certificate = issue(self, subject, keys.publicKey(), Profile.CA, Map.of(), null);
        String fileName = name + "-cert.pem";
        MspFiles.writeCertificate(directory.resolve(fileName), certificate);
        MspFiles.writePrivateKey(directory.resolve("priv_sk"), keys);
        return new Ca(subject, keys, certificate, fileName);
    }

    /**
     * Writes a TLS identity as cryptogen does: {@code ca.crt} (the TLS CA), {@code <kind>.crt} and {@code <kind>.key}
     * ({@code server} for a node, {@code client} for a user), with the given subject alternative names.
     */
    private void tlsIdentity(Path tls, String kind, Ca tlsCa, X500Name subject, List<GeneralName> names)
            throws IOException {
        P256PrivateKey keys = P256PrivateKey.generate(random);
        X509Certificate certificate = issue(
                tlsCa,
                subject,
                keys.publicKey(),
                Profile.TLS,
                Map.of(),
                names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new)));
        MspFiles.writeCertificate(tls.resolve("ca.crt"), tlsCa.certificate());
        MspFiles.writeCertificate(tls.resolve(kind + ".crt"), certificate);
        MspFiles.writePrivateKey(tls.resolve(kind + ".key"), keys);
    }

    /** @return the policy document with the consortium's MSP ids as its organisations */
    private static byte[] policyDocument(List<Consortium.Organisation> organisations) throws IOException {
        ObjectNode policy;
        try (InputStream in = CryptoGen.class.getResourceAsStream(POLICY_FILE)) {
            if (in == null) {
                throw new IOException(POLICY_FILE + " is missing from the node's resources");
            }
            policy = (ObjectNode) JSON.readTree(in);
        }
        ArrayNode members = policy.putArray("organisations");
        organisations.forEach(o -> members.add(o.mspId()));
        return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(policy) + "\n").getBytes(UTF_8);
    }

    /** A random 32-byte pseudonym in hex; a stand-in until the client derives pseudonyms from fiscal codes. */
    private String placeholderPseudonym() {
        byte[] pseudonym = new byte[32];
        random.nextBytes(pseudonym);
        return HexFormat.of().formatHex(pseudonym);
    }

    private static X500Name name(String domain, String organisationalUnit, String commonName) {
        X500NameBuilder builder =
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "IT").addRDN(BCStyle.O, domain);
        if (organisationalUnit != null) {
            builder.addRDN(BCStyle.OU, organisationalUnit);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    private record Ca(X500Name subject, P256PrivateKey key, X509Certificate certificate, String fileName) {}

    /** What a certificate is for. */
    private enum Profile {
        CA,
        SIGNING,
        TLS
    }

    private X509Certificate issue(
            Ca issuerCa,
            X500Name subject,
            P256PublicKey subjectKey,
            Profile profile,
            Map<String, String> attributes,
            GeneralNames subjectAltNames) {
        boolean ca = profile == Profile.CA;
        BigInteger serial = new BigInteger(128, random).setBit(127);
        Instant notAfter = notBefore.plus(ca ? CA_VALIDITY : LEAF_VALIDITY);
        CertificateBuilder builder = CertificateBuilder.issuedBy(issuerCa.subject(), issuerCa.key())
                .subject(subject, subjectKey)
                .serial(serial)
                .validity(notBefore, notAfter)
                .basicConstraints(ca);
        if (ca) {
            builder.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth);
        } else if (profile == Profile.TLS) {
            builder.keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                    .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
        } else {
            builder.keyUsage(KeyUsage.digitalSignature);
        }
        if (subjectAltNames != null) {
            builder.subjectAltNames(subjectAltNames);
        }
        builder.subjectKeyIdentifier();
        if (!ca) {
            builder.authorityKeyIdentifier();
        }
        if (!attributes.isEmpty()) {
            builder.extension(
                    new ASN1ObjectIdentifier(FabricAttributes.OID), false, FabricAttributes.encode(attributes));
        }
        return builder.build();
    }

    /**
     * Revokes the certificate of a node or user of the consortium: its organisation's CA adds its serial number to the
     * organisation's revocation list ({@link Consortium#crlDirectory}{@code /crl.pem}, keeping the serials already
     * there; reason {@code keyCompromise}), valid for {@code validity}. Nodes read revocation lists when they start:
     * restart every node of the network, with the same lists, for the revocation to take effect.
     *
     * @param name the node or user name, such as {@code Employer@org1.dossier.local}
     * @return the revocation list file
     * @throws IOException if the CA's key or the certificates cannot be read, or the list cannot be written
     * @throws IllegalArgumentException if no node or user has that name
     */
    public static Path revoke(Consortium consortium, String name, Duration validity) throws IOException {
        return RevocationList.revoke(consortium, name, validity);
    }
}
