package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.CardKeys;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.log.TrustFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertThat(CardKeys.load(out.resolve(CardKeys.FILE_NAME))).isEqualTo(trust.cardKeys());

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
