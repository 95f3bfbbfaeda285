package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.merkle.Proofs;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSignerTest {
    private static final String ORIGIN = "dossier.local/dossier/notary";

    @TempDir
    Path directory;

    @Test
    void checkpoint_signedByOneNode_cosignedByAnother_verifiesOfflineAndProvesInclusion() throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        Consortium.Node node1 = consortium.organisations().get(0).nodes().get(0);
        Consortium.Node node2 = consortium.organisations().get(1).nodes().get(0);
        CheckpointSigner first = new CheckpointSigner(consortium.signer(node1.name()), node1.name());
        CheckpointSigner second = new CheckpointSigner(consortium.signer(node2.name()), node2.name());
        byte[] commitment = new byte[32];
        commitment[0] = 7;
        try (CommitmentLog log1 = CommitmentLogTest.logWith(directory.resolve("log1"), commitment);
                CommitmentLog log2 = CommitmentLogTest.logWith(directory.resolve("log2"), commitment)) {
            SignedNote signed = first.sign(ORIGIN, log1, 1_795_000_000L);
            SignedNote cosigned = SignedNote.parse(second.cosign(signed, log2).format());

            NoteVerifier verifier = new NoteVerifier(List.of(first.verifierKey(), second.verifierKey()), 2);
            assertThat(verifier.verify(cosigned)).containsExactlyInAnyOrder(node1.name(), node2.name());
            Checkpoint checkpoint = Checkpoint.parse(cosigned.text());
            assertThat(checkpoint.size()).isEqualTo(1);
            Proofs.verifyInclusion(
                    0,
                    checkpoint.size(),
                    Rfc9162.leafHash(CommitmentLogTest.leafData(commitment)),
                    log1.inclusionProof(0, 1),
                    checkpoint.root());
        }
    }

    @Test
    void cosign_refusesACheckpointOfAnotherLog() throws Exception {
        Consortium consortium = CryptoGen.generate(directory.resolve("network"), 1, "dossier", "notary", 7051);
        Consortium.Node node = consortium.organisations().get(0).nodes().get(0);
        CheckpointSigner signer = new CheckpointSigner(consortium.signer(node.name()), node.name());
        byte[] one = new byte[32];
        byte[] other = new byte[32];
        other[31] = 1;
        try (CommitmentLog log1 = CommitmentLogTest.logWith(directory.resolve("log1"), one);
                CommitmentLog log2 = CommitmentLogTest.logWith(directory.resolve("log2"), other)) {
            SignedNote signed = signer.sign(ORIGIN, log1, 1_795_000_000L);
            assertThatThrownBy(() -> signer.cosign(signed, log2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not match");
        }
    }
}
