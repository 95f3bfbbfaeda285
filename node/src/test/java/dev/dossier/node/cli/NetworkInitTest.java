package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.log.TrustFiles;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(trust.format()).isEqualTo(TrustFiles.of(consortium).format());
        assertThat(trust.keys().get(0).keyId())
                .isEqualTo(NoteVerifier.keyId(consortium
                        .signer(consortium.nodes().get(0).name())
                        .certificate()
                        .getPublicKey()));
    }
}
