package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.log.TrustFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NetworkInitTest {
    @TempDir
    Path directory;

    @Test
    void networkInit_writesTheTrustFile_ofEveryNodeKey_withAMajorityOfCosigners() throws Exception {
        Path out = directory.resolve("network");

        int exit = new CommandLine(Main.class)
                .execute("network", "init", "--orgs", "3", "--out", out.toString(), "--port", "27051");

        assertThat(exit).isZero();
        TrustFile trust = TrustFile.parse(Files.readString(out.resolve("trust.txt")));
        Consortium consortium = Consortium.load(out.resolve("consortium.yaml"));
        assertThat(trust.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(trust.cosigners()).isEqualTo(2);
        assertThat(trust.keys())
                .extracting(NoteVerifier.Key::name)
                .containsExactly(
                        consortium.nodes().stream().map(Consortium.Node::name).toArray(String[]::new));
        assertThat(trust.format())
                .isEqualTo(
                        TrustFiles.of(consortium).withCardKeys(trust.cardKeys()).format());
        assertThat(trust.keys().get(0).keyId())
                .isEqualTo(NoteVerifier.keyId(consortium
                        .signer(consortium.nodes().get(0).name())
                        .certificate()
                        .getPublicKey()));
    }

    @Test
    void networkInit_withATestNetworksNames_writesTheFilesAFabricApplicationReads() throws Exception {
        Path out = directory.resolve("network");

        int exit = new CommandLine(Main.class)
                .execute(
                        "network",
                        "init",
                        "--orgs",
                        "2",
                        "--out",
                        out.toString(),
                        "--domain",
                        "example.com",
                        "--node-name",
                        "peer0",
                        "--user",
                        "User1=issuer");

        assertThat(exit).isZero();
        // the paths fabric-samples' application-gateway-java reads, relative to the organisation's folder
        Path org1 = out.resolve("organizations/peerOrganizations/org1.example.com");
        assertThat(org1.resolve("users/User1@org1.example.com/msp/signcerts/User1@org1.example.com-cert.pem"))
                .isRegularFile();
        assertThat(org1.resolve("users/User1@org1.example.com/msp/keystore/priv_sk"))
                .isRegularFile();
        assertThat(org1.resolve("users/Admin@org1.example.com/msp/signcerts/Admin@org1.example.com-cert.pem"))
                .isRegularFile();
        Path tls = org1.resolve("peers/peer0.org1.example.com/tls");
        X509Certificate server = Pem.readCertificate(tls.resolve("server.crt"));
        server.verify(Pem.readCertificate(tls.resolve("ca.crt")).getPublicKey());
        assertThat(server.getSubjectAlternativeNames().stream()
                        .map(name -> (Object) name.get(1))
                        .toList())
                .containsExactly("peer0.org1.example.com", "peer0", "localhost", "127.0.0.1");

        Consortium consortium = Consortium.load(out.resolve("consortium.yaml"));
        assertThat(consortium.nodes())
                .extracting(Consortium.Node::name, Consortium.Node::host)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("peer0.org1.example.com", "localhost"),
                        org.assertj.core.groups.Tuple.tuple("peer0.org2.example.com", "localhost"));
        assertThat(consortium.organisations().get(1).users())
                .filteredOn(user -> user.name().equals("User1@org2.example.com"))
                .singleElement()
                .extracting(Consortium.User::role)
                .isEqualTo("issuer");
        new IdentityValidator(consortium.msps())
                .validate(consortium.signer("User1@org1.example.com").serializedIdentity());
    }

    @Test
    void networkInit_refusesNamesThatAreNotDnsNames_orUnknownRoles() {
        for (String[] bad : new String[][] {
            {"--domain", "Example.com"}, {"--domain", "example..com"}, {"--node-name", "peer0.org1"},
            {"--user", "User1=boss"}, {"--user", "Admin=issuer"}, {"--user", "User 1=issuer"}
        }) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine command = Main.commandLine();
            command.setErr(new java.io.PrintWriter(err));
            Path out = directory.resolve("refused-" + bad[0].substring(2) + bad[1].length());
            int exit = command.execute("network", "init", "--out", out.toString(), bad[0], bad[1]);
            assertThat(exit).as(String.join(" ", bad)).isNotZero();
            assertThat(err.toString()).as(String.join(" ", bad)).startsWith("error: ");
        }
    }

    @Test
    void networkInit_makesACardKeyPerOrganisation_privateKeyOwnerOnly_andCardKeyAddsARotatedOne() throws Exception {
        Path out = directory.resolve("network");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        assertThat(new CommandLine(Main.class)
                        .execute("network", "init", "--orgs", "2", "--out", out.toString(), "--port", "27051"))
                .isZero();

        TrustFile trust = TrustFile.parse(Files.readString(out.resolve("trust.txt")));
        assertThat(trust.cardKeys()).extracting(CardKey::organisation).containsExactly("Org1MSP", "Org2MSP");
        for (CardKey key : trust.cardKeys()) {
            assertThat(key.validFrom()).isEqualTo(today);
            assertThat(key.validTo()).isEqualTo(today.plusYears(3));
            Path file = out.resolve("cards").resolve(key.organisation()).resolve(key.keyIdHex() + ".key");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Pem.readPrivateKey(file).publicKey().subjectPublicKeyInfo())
                    .isEqualTo(key.subjectPublicKeyInfo());
        }
        assertThat(OrganisationKeys.CARDS.load(out.resolve(OrganisationKeys.CARDS.fileName())))
                .isEqualTo(trust.cardKeys());

        LocalDate from = today.plusYears(3).minusDays(30);
        assertThat(addCardKey(out, "Org1MSP", from, from.plusYears(3))).isZero();
        TrustFile rotated = TrustFile.parse(Files.readString(out.resolve("trust.txt")));
        assertThat(rotated.cardKeys()).hasSize(3).containsAll(trust.cardKeys());
        CardKey added = rotated.cardKeys().get(2);
        assertThat(added.organisation()).isEqualTo("Org1MSP");
        assertThat(added.validFrom()).isEqualTo(from);
        assertThat(rotated.keys()).isEqualTo(trust.keys());
        assertThat(addCardKey(out, "Org9MSP", from, from)).isNotZero();
    }

    private static int addCardKey(Path network, String organisation, LocalDate from, LocalDate to) {
        return new CommandLine(Main.class)
                .execute(
                        "network",
                        "card-key",
                        "--network",
                        network.toString(),
                        "--org",
                        organisation,
                        "--from",
                        from.toString(),
                        "--to",
                        to.toString());
    }
}
