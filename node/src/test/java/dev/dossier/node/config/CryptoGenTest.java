package dev.dossier.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CryptoGenTest {
    private static final byte[] MESSAGE = "envelope payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path directory;

    private static Path out;
    private static Consortium consortium;
    private static IdentityValidator validator;

    @BeforeAll
    static void generate() throws Exception {
        out = directory.resolve("network");
        consortium = CryptoGen.generate(out, 3, "dossier", "notary", 7051);
        validator = new IdentityValidator(consortium.msps());
    }

    @Test
    void generate_firstPolicy_listsEveryOrganisation_andEachOperatorSignedIt() throws Exception {
        GenesisPolicy policy = GenesisPolicy.load(out).orElseThrow();

        policy.verify(validator, List.of("Org1MSP", "Org2MSP", "Org3MSP"), Instant.now());
        assertThat(policy.signatures())
                .extracting(GenesisPolicy.Signature::mspId)
                .containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        assertThatThrownBy(() -> policy.verify(validator, List.of("Org1MSP", "Org2MSP"), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lists organisations [Org1MSP, Org2MSP, Org3MSP]");
        GenesisPolicy oneSignatureShort =
                new GenesisPolicy(policy.document(), policy.signatures().subList(0, 2));
        assertThatThrownBy(() ->
                        oneSignatureShort.verify(validator, List.of("Org1MSP", "Org2MSP", "Org3MSP"), Instant.now()))
                .hasMessageContaining("missing: [Org3MSP]");
        byte[] altered = policy.document();
        altered[altered.length - 2] ^= 1;
        GenesisPolicy tampered = new GenesisPolicy(altered, policy.signatures());
        assertThatThrownBy(() -> tampered.verify(validator, List.of("Org1MSP", "Org2MSP", "Org3MSP"), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generate_describesOrganisationsNodesAndUsers() {
        assertThat(consortium.channel()).isEqualTo("dossier");
        assertThat(consortium.chaincode()).isEqualTo("notary");
        assertThat(consortium.organisations())
                .extracting(Consortium.Organisation::mspId)
                .containsExactly("Org1MSP", "Org2MSP", "Org3MSP");
        assertThat(consortium.nodes())
                .extracting(Consortium.Node::name)
                .containsExactly("node0.org1.dossier.local", "node0.org2.dossier.local", "node0.org3.dossier.local");
        assertThat(consortium.nodes()).extracting(Consortium.Node::port).containsExactly(7051, 7052, 7053);
        assertThat(consortium.organisations().get(1).users())
                .extracting(Consortium.User::name, Consortium.User::role)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Admin@org2.dossier.local", "operator"),
                        org.assertj.core.groups.Tuple.tuple("Issuer@org2.dossier.local", "issuer"),
                        org.assertj.core.groups.Tuple.tuple("Employer@org2.dossier.local", "employer"),
                        org.assertj.core.groups.Tuple.tuple("Delegate@org2.dossier.local", "delegate"),
                        org.assertj.core.groups.Tuple.tuple("Inspector@org2.dossier.local", "inspector"),
                        org.assertj.core.groups.Tuple.tuple("Auditor@org2.dossier.local", "auditor"),
                        org.assertj.core.groups.Tuple.tuple("Worker1@org2.dossier.local", "worker"),
                        org.assertj.core.groups.Tuple.tuple("Worker2@org2.dossier.local", "worker"));
    }

    @Test
    void generate_writesCryptogenLayout() {
        Path org1 = out.resolve("organizations/peerOrganizations/org1.dossier.local");
        String[] expected = {
            "ca/ca.org1.dossier.local-cert.pem",
            "ca/priv_sk",
            "msp/cacerts/ca.org1.dossier.local-cert.pem",
            "msp/config.yaml",
            "peers/node0.org1.dossier.local/msp/signcerts/node0.org1.dossier.local-cert.pem",
            "peers/node0.org1.dossier.local/msp/keystore/priv_sk",
            "peers/node0.org1.dossier.local/msp/cacerts/ca.org1.dossier.local-cert.pem",
            "peers/node0.org1.dossier.local/msp/config.yaml",
            "users/Admin@org1.dossier.local/msp/signcerts/Admin@org1.dossier.local-cert.pem",
            "users/Admin@org1.dossier.local/msp/keystore/priv_sk",
            "users/Admin@org1.dossier.local/msp/cacerts/ca.org1.dossier.local-cert.pem",
            "users/Worker1@org1.dossier.local/msp/signcerts/Worker1@org1.dossier.local-cert.pem",
            "users/Worker1@org1.dossier.local/msp/keystore/priv_sk",
            "users/Worker2@org1.dossier.local/msp/signcerts/Worker2@org1.dossier.local-cert.pem",
            "tlsca/tlsca.org1.dossier.local-cert.pem",
            "tlsca/priv_sk",
            "msp/tlscacerts/tlsca.org1.dossier.local-cert.pem",
            "peers/node0.org1.dossier.local/msp/tlscacerts/tlsca.org1.dossier.local-cert.pem",
            "peers/node0.org1.dossier.local/tls/ca.crt",
            "peers/node0.org1.dossier.local/tls/server.crt",
            "peers/node0.org1.dossier.local/tls/server.key",
        };
        for (String file : expected) {
            assertThat(org1.resolve(file)).as(file).isRegularFile();
        }
        assertThat(out.resolve("consortium.yaml")).isRegularFile();
        assertThat(org1.resolve("msp/config.yaml"))
                .content()
                .contains(
                        "Enable: true",
                        "Certificate: cacerts/ca.org1.dossier.local-cert.pem",
                        "OrganizationalUnitIdentifier: admin");
    }

    @Test
    void generate_privateKeysArePkcs8AndOwnerOnly() throws IOException {
        Path key = consortium.organisations().get(0).users().get(0).privateKey();
        Path org1 = out.resolve("organizations/peerOrganizations/org1.dossier.local");

        for (Path file : List.of(
                key,
                org1.resolve("ca/priv_sk"),
                org1.resolve("tlsca/priv_sk"),
                org1.resolve("peers/node0.org1.dossier.local/tls/server.key"))) {
            assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void load_readsBackWhatGenerateReturned() throws IOException {
        assertThat(Consortium.load(out.resolve("consortium.yaml"))).isEqualTo(consortium);
    }

    @Test
    void consortiumYaml_holdsRelativePaths() throws IOException {
        String yaml = Files.readString(out.resolve("consortium.yaml"));

        assertThat(yaml)
                .contains("caCertificate: organizations/peerOrganizations/org1.dossier.local/ca/")
                .doesNotContain(out.toString());
    }

    @Test
    void everyNodeAndUser_validatesAndSignsVerifiably() throws Exception {
        for (Consortium.Organisation organisation : consortium.organisations()) {
            List<String> names = new java.util.ArrayList<>();
            organisation.nodes().forEach(n -> names.add(n.name()));
            organisation.users().forEach(u -> names.add(u.name()));
            for (String name : names) {
                Signer signer = consortium.signer(name);
                Identity identity = validator.validate(signer.serializedIdentity());

                assertThat(identity.mspId()).isEqualTo(organisation.mspId());
                identity.verify(MESSAGE, signer.sign(MESSAGE));
            }
        }
    }

    @Test
    void userAttributes_carryRoleAndWorkerSubject() throws Exception {
        Identity issuer = validator.validate(
                consortium.signer("Issuer@org1.dossier.local").serializedIdentity());
        Identity worker = validator.validate(
                consortium.signer("Worker1@org3.dossier.local").serializedIdentity());
        Identity node =
                validator.validate(consortium.signer("node0.org1.dossier.local").serializedIdentity());

        assertThat(issuer.attributes())
                .containsEntry("dossier.role", "issuer")
                .containsEntry("hf.EnrollmentID", "Issuer@org1.dossier.local")
                .doesNotContainKey("dossier.subject");
        assertThat(worker.attributes()).containsEntry("dossier.role", "worker");
        assertThat(worker.attributes().get("dossier.subject")).matches("[0-9a-f]{64}");
        assertThat(node.attributes()).isEmpty();
    }

    @Test
    void identityOfAnotherOrganisation_claimingOrg1_isRefused() throws Exception {
        ByteString org2Issuer = consortium.signer("Issuer@org2.dossier.local").serializedIdentity();
        SerializedIdentity claimingOrg1 = SerializedIdentity.parseFrom(org2Issuer).toBuilder()
                .setMspid("Org1MSP")
                .build();

        assertThatThrownBy(() -> validator.validate(claimingOrg1.toByteString()))
                .isInstanceOf(IdentityException.class)
                .hasMessageStartingWith("certificate of Org1MSP: not signed by Org1MSP's CA");
    }

    @Test
    void certificates_haveFabricStyleSubjectsAndExtensions() throws Exception {
        X509Certificate ca = consortium.msps().get(0).rootCertificates().get(0);
        X509Certificate admin = consortium.signer("Admin@org1.dossier.local").certificate();
        X509Certificate node = consortium.signer("node0.org1.dossier.local").certificate();
        X509Certificate issuer = consortium.signer("Issuer@org1.dossier.local").certificate();

        assertThat(ca.getSubjectX500Principal().getName())
                .isEqualTo("CN=ca.org1.dossier.local,O=org1.dossier.local,C=IT");
        assertThat(admin.getSubjectX500Principal().getName())
                .isEqualTo("CN=Admin@org1.dossier.local,OU=admin,O=org1.dossier.local,C=IT");
        assertThat(node.getSubjectX500Principal().getName())
                .isEqualTo("CN=node0.org1.dossier.local,OU=peer,O=org1.dossier.local,C=IT");
        assertThat(issuer.getSubjectX500Principal().getName())
                .isEqualTo("CN=Issuer@org1.dossier.local,OU=client,O=org1.dossier.local,C=IT");

        assertThat(ca.getBasicConstraints()).isNotNegative();
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(Duration.between(
                        ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()))
                .isEqualTo(CryptoGen.CA_VALIDITY);
        assertThat(issuer.getBasicConstraints()).isEqualTo(-1);
        assertThat(issuer.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
        assertThat(Duration.between(
                        issuer.getNotBefore().toInstant(), issuer.getNotAfter().toInstant()))
                .isEqualTo(CryptoGen.LEAF_VALIDITY);
        assertThat(issuer.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(issuer.getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(issuer.getSerialNumber()).isNotEqualTo(admin.getSerialNumber());
        assertThat(issuer.getNonCriticalExtensionOIDs()).contains("1.2.3.4.5.6.7.8.1");

        byte[] caKeyId = octets(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                octets(issuer.getExtensionValue(Extension.authorityKeyIdentifier.getId())));
        assertThat(aki.getKeyIdentifierOctets())
                .isEqualTo(ASN1OctetString.getInstance(caKeyId).getOctets());
    }

    @Test
    void fabricGatewayClient_readsFilesAndItsSignaturesVerify() throws Exception {
        Consortium.User user = consortium.organisations().get(0).users().get(1);
        X509Certificate certificate;
        PrivateKey privateKey;
        try (Reader certificateReader = Files.newBufferedReader(user.certificate());
                Reader keyReader = Files.newBufferedReader(user.privateKey())) {
            certificate = Identities.readX509Certificate(certificateReader);
            privateKey = Identities.readPrivateKey(keyReader);
        }
        X509Identity clientIdentity = new X509Identity("Org1MSP", certificate);
        ByteString creator = SerializedIdentity.newBuilder()
                .setMspid(clientIdentity.getMspId())
                .setIdBytes(ByteString.copyFrom(clientIdentity.getCredentials()))
                .build()
                .toByteString();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(MESSAGE);

        Identity identity = validator.validate(creator);
        for (int i = 0; i < 8; i++) {
            identity.verify(MESSAGE, Signers.newPrivateKeySigner(privateKey).sign(digest));
        }
        assertThat(creator).isEqualTo(consortium.signer(user.name()).serializedIdentity());
    }

    @Test
    void generate_intoNonEmptyDirectory_throws() {
        assertThatThrownBy(() -> CryptoGen.generate(out, 1, "dossier", "notary", 7051))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void generate_outOfRangeArguments_throw() {
        Path fresh = directory.resolve("unused");
        assertThatThrownBy(() -> CryptoGen.generate(fresh, 0, "dossier", "notary", 7051))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CryptoGen.generate(fresh, 2, "dossier", "notary", 65535))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fresh).doesNotExist();
    }

    @Test
    void generate_withHosts_putsEachNodeOnItsHost_andItsAddressInItsTlsCertificate() throws Exception {
        Path network = directory.resolve("hosts");
        Consortium onHosts = CryptoGen.generate(
                network, 2, "dossier", "notary", 7051, FabricNames.DOSSIER, List.of("10.231.0.1", "node-b.example"));

        assertThat(Consortium.load(network.resolve("consortium.yaml")).nodes())
                .extracting(Consortium.Node::host)
                .containsExactly("10.231.0.1", "node-b.example");
        // (2: DNS name, 7: IP address) of each node's TLS certificate
        List<List<List<?>>> expected = List.of(
                List.of(
                        List.of(2, "node0.org1.dossier.local"),
                        List.of(2, "node0"),
                        List.of(7, "127.0.0.1"),
                        List.of(7, "10.231.0.1")),
                List.of(
                        List.of(2, "node0.org2.dossier.local"),
                        List.of(2, "node0"),
                        List.of(2, "node-b.example"),
                        List.of(7, "127.0.0.1")));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(subjectAlternativeNames(network, onHosts.nodes().get(i).name()))
                    .containsExactlyInAnyOrderElementsOf(expected.get(i));
        }
    }

    @Test
    void generate_withHostsNotOnePerOrganisation_orNotAHost_throws() {
        Path fresh = directory.resolve("unusedHosts");
        assertThatThrownBy(() -> CryptoGen.generate(
                        fresh, 3, "dossier", "notary", 7051, FabricNames.DOSSIER, List.of("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 hosts for 3 organisations: give one per organisation");
        assertThatThrownBy(() ->
                        CryptoGen.generate(fresh, 1, "dossier", "notary", 7051, FabricNames.DOSSIER, List.of("a b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host 'a b' is not a host name or IP address");
        assertThat(fresh).doesNotExist();
    }

    private static java.util.Collection<List<?>> subjectAlternativeNames(Path network, String node) throws Exception {
        String domain = node.substring(node.indexOf('.') + 1);
        Path certificate = network.resolve("organizations/peerOrganizations")
                .resolve(domain)
                .resolve("peers")
                .resolve(node)
                .resolve("tls/server.crt");
        try (Reader reader = Files.newBufferedReader(certificate)) {
            return Identities.readX509Certificate(reader).getSubjectAlternativeNames();
        }
    }

    @Test
    void generate_oneOrganisation_validates() throws Exception {
        Consortium single = CryptoGen.generate(directory.resolve("single"), 1, "ch", "cc", 9000);
        IdentityValidator singleValidator = new IdentityValidator(single.msps());

        assertThat(singleValidator.mspIds()).containsExactly("Org1MSP");
        assertThat(single.nodes())
                .singleElement()
                .extracting(Consortium.Node::port)
                .isEqualTo(9000);
        Signer admin = single.signer("Admin@org1.dossier.local");
        singleValidator.validate(admin.serializedIdentity()).verify(MESSAGE, admin.sign(MESSAGE));
        assertThatThrownBy(() -> singleValidator.validate(
                        consortium.signer("Admin@org1.dossier.local").serializedIdentity()))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("not signed by Org1MSP's CA");
    }

    @Test
    void nodeTlsServerCertificate_isIssuedByTheTlsCaForTheNodesNames() throws Exception {
        Path tls = out.resolve("organizations/peerOrganizations/org2.dossier.local/peers/node0.org2.dossier.local/tls");
        X509Certificate server = pemCertificate(tls.resolve("server.crt"));
        X509Certificate tlsCa = pemCertificate(tls.resolve("ca.crt"));
        X509Certificate signingCa = consortium.msps().get(1).rootCertificates().get(0);

        server.verify(tlsCa.getPublicKey());
        assertThat(tlsCa.getSubjectX500Principal().getName())
                .isEqualTo("CN=tlsca.org2.dossier.local,O=org2.dossier.local,C=IT");
        assertThat(tlsCa.getPublicKey()).isNotEqualTo(signingCa.getPublicKey());
        assertThat(tlsCa.getBasicConstraints()).isNotNegative();
        assertThat(server.getSubjectX500Principal().getName())
                .isEqualTo("CN=node0.org2.dossier.local,O=org2.dossier.local,C=IT");
        assertThat(server.getSubjectAlternativeNames().stream()
                        .map(name -> (Object) name.get(1))
                        .toList())
                .containsExactly("node0.org2.dossier.local", "node0", "localhost", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        try (Reader keyReader = Files.newBufferedReader(tls.resolve("server.key"))) {
            PrivateKey key = Identities.readPrivateKey(keyReader);
            byte[] signature = Signers.newPrivateKeySigner(key)
                    .sign(MessageDigest.getInstance("SHA-256").digest(MESSAGE));
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(server.getPublicKey());
            verifier.update(MESSAGE);
            assertThat(verifier.verify(signature))
                    .as("server.key matches server.crt")
                    .isTrue();
        }
    }

    @Test
    void policyDocument_listsTheOrganisations_andOtherwiseIsTheNetworkConfigDocument() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var written = json.readTree(out.resolve("policy.json").toFile());
        var document = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(Path.of("../network-config/policy.json").toFile());

        assertThat(written.get("organisations")).hasToString("[\"Org1MSP\",\"Org2MSP\",\"Org3MSP\"]");
        document.set("organisations", written.get("organisations"));
        assertThat(written).isEqualTo(document);
    }

    @Test
    void workers_haveDistinctSubjects() throws Exception {
        Identity worker1 = validator.validate(
                consortium.signer("Worker1@org1.dossier.local").serializedIdentity());
        Identity worker2 = validator.validate(
                consortium.signer("Worker2@org1.dossier.local").serializedIdentity());

        assertThat(worker2.attributes()).containsEntry("dossier.role", "worker");
        assertThat(worker2.attributes().get("dossier.subject"))
                .matches("[0-9a-f]{64}")
                .isNotEqualTo(worker1.attributes().get("dossier.subject"));
    }

    private static X509Certificate pemCertificate(Path pem) throws Exception {
        try (Reader reader = Files.newBufferedReader(pem)) {
            return Identities.readX509Certificate(reader);
        }
    }

    private static byte[] octets(byte[] extensionValue) {
        return ASN1OctetString.getInstance(extensionValue).getOctets();
    }
}
