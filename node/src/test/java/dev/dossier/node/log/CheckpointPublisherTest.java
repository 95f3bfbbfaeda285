package dev.dossier.node.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointPublisherTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path directory;

    private Consortium consortium;
    private TrustFile trust;
    private CheckpointSigner first;
    private CheckpointSigner second;

    @BeforeEach
    void consortiumOfTwo() throws Exception {
        consortium = CryptoGen.generate(directory.resolve("network"), 2, "dossier", "notary", 7051);
        trust = TrustFiles.of(consortium);
        Consortium.Node node1 = consortium.nodes().get(0);
        Consortium.Node node2 = consortium.nodes().get(1);
        first = new CheckpointSigner(consortium.signer(node1.name()), node1.name());
        second = new CheckpointSigner(consortium.signer(node2.name()), node2.name());
    }

    private static byte[] commitment(int b) {
        byte[] commitment = new byte[32];
        commitment[0] = (byte) b;
        return commitment;
    }

    private CheckpointPublisher publisher(
            CommitmentLog log, CheckpointSigner signer, TrustFile trustFile, Clock clock) {
        return new CheckpointPublisher(log, signer, trustFile, List.of(), clock, Duration.ofMillis(200));
    }

    @Test
    void trustFileOfConsortium_pinsEveryNodeByName_andNeedsAMajority() throws Exception {
        assertThat(trust.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(trust.cosigners()).isEqualTo(2);
        assertThat(trust.keys())
                .extracting(NoteVerifier.Key::name)
                .containsExactly(
                        consortium.nodes().get(0).name(),
                        consortium.nodes().get(1).name());
        assertThat(TrustFile.parse(trust.format()).format()).isEqualTo(trust.format());
        assertThat(trust.keys().get(0).keyId()).isEqualTo(first.verifierKey().keyId());
    }

    @Test
    void singleNode_cosignsAlone_storesDurably_andReloadsAfterRestart() throws Exception {
        TrustFile alone = TrustFile.majority("dossier/dossier/notary", List.of(first.verifierKey()));
        Path logDirectory = directory.resolve("log");
        SignedNote stored;
        try (CommitmentLog log = CommitmentLogTest.logWith(logDirectory, commitment(1), commitment(2));
                CheckpointPublisher publisher = publisher(log, first, alone, CLOCK)) {
            assertThat(publisher.latest()).isEmpty();
            CheckpointPublisher.Cosigned cosigned = publisher.publish().orElseThrow();

            assertThat(cosigned.checkpoint().size()).isEqualTo(2);
            assertThat(cosigned.checkpoint().root()).isEqualTo(log.root(2));
            assertThat(cosigned.checkpoint().time()).isEqualTo(NOW.getEpochSecond());
            assertThat(alone.verifier().verify(SignedNote.parse(cosigned.note().format())))
                    .containsExactly(first.verifierKey().name());
            assertThat(publisher.latest()).contains(cosigned);
            assertThat(publisher.publish())
                    .as("nothing new, and the checkpoint is fresh")
                    .isEmpty();
            stored = cosigned.note();
        }
        try (CommitmentLog log = CommitmentLog.open(logDirectory, "notary");
                CheckpointPublisher publisher = publisher(log, first, alone, CLOCK)) {
            assertThat(publisher.latest())
                    .get()
                    .satisfies(c -> assertThat(c.note().format()).isEqualTo(stored.format()));
        }
    }

    @Test
    void oldCheckpoint_isRenewedAfterAMinute_evenWithoutNewLeaves() throws Exception {
        TrustFile alone = TrustFile.majority("dossier/dossier/notary", List.of(first.verifierKey()));
        try (CommitmentLog log = CommitmentLogTest.logWith(directory.resolve("log"), commitment(1))) {
            try (CheckpointPublisher publisher = publisher(log, first, alone, CLOCK)) {
                publisher.publish().orElseThrow();
            }
            Clock later = Clock.offset(CLOCK, Duration.ofSeconds(61));
            try (CheckpointPublisher publisher = publisher(log, first, alone, later)) {
                assertThat(publisher.publish())
                        .get()
                        .satisfies(c -> assertThat(c.checkpoint().time()).isEqualTo(NOW.getEpochSecond() + 61));
            }
        }
    }

    @Test
    void withoutEnoughCosigners_nothingIsStored() throws Exception {
        try (CommitmentLog log = CommitmentLogTest.logWith(directory.resolve("log"), commitment(1));
                CheckpointPublisher publisher = publisher(log, first, trust, CLOCK)) {
            assertThat(publisher.publish()).isEmpty();
            assertThat(publisher.latest()).isEmpty();
            assertThat(log.cosignedCheckpoint()).isEmpty();
        }
    }

    @Test
    void cosign_ofTheSameLog_appendsThisNodesSignature_andTheNoteMeetsTheTrustFile() throws Exception {
        try (CommitmentLog log1 = CommitmentLogTest.logWith(directory.resolve("log1"), commitment(1));
                CommitmentLog log2 = CommitmentLogTest.logWith(directory.resolve("log2"), commitment(1));
                CheckpointPublisher publisher2 = publisher(log2, second, trust, CLOCK)) {
            SignedNote signed = first.sign(trust.origin(), log1, NOW.getEpochSecond());

            SignedNote cosigned = publisher2.cosign(signed);

            assertThat(cosigned.text()).isEqualTo(signed.text());
            assertThat(cosigned.signatures())
                    .hasSize(2)
                    .startsWith(signed.signatures().get(0));
            assertThat(trust.verifier().verify(cosigned))
                    .containsExactlyInAnyOrder(
                            first.verifierKey().name(), second.verifierKey().name());
            assertThat(publisher2.cosign(cosigned).format())
                    .as("already cosigned: unchanged")
                    .isEqualTo(cosigned.format());
        }
    }

    @Test
    void cosign_refusesWhatDoesNotMatchThisLog_orIsNotFromTheConsortium() throws Exception {
        Consortium other = CryptoGen.generate(directory.resolve("other"), 1, "dossier", "notary", 9051);
        Consortium.Node stranger = other.nodes().get(0);
        CheckpointSigner outsider = new CheckpointSigner(other.signer(stranger.name()), stranger.name());
        try (CommitmentLog log1 = CommitmentLogTest.logWith(directory.resolve("log1"), commitment(1));
                CommitmentLog otherLeaves = CommitmentLogTest.logWith(directory.resolve("log3"), commitment(3));
                CommitmentLog longer =
                        CommitmentLogTest.logWith(directory.resolve("log4"), commitment(1), commitment(2));
                CommitmentLog log2 = CommitmentLogTest.logWith(directory.resolve("log2"), commitment(1));
                CheckpointPublisher publisher2 = publisher(log2, second, trust, CLOCK)) {
            long now = NOW.getEpochSecond();

            assertRefused(publisher2, outsider.sign(trust.origin(), log1, now), CosignException.Reason.MALFORMED)
                    .hasMessageContaining("not a checkpoint signed by a node of the consortium");
            assertRefused(publisher2, first.sign("dossier/other/notary", log1, now), CosignException.Reason.CONFLICT)
                    .hasMessageContaining("checkpoint of log dossier/other/notary");
            assertRefused(publisher2, first.sign(trust.origin(), otherLeaves, now), CosignException.Reason.CONFLICT)
                    .hasMessageContaining("differs from this node's log");
            assertRefused(publisher2, first.sign(trust.origin(), log1, now - 301), CosignException.Reason.CONFLICT)
                    .hasMessageContaining("301 s from this node's clock");
            assertRefused(publisher2, first.sign(trust.origin(), longer, now), CosignException.Reason.BEHIND)
                    .hasMessageContaining("this node's log has 1 leaves, the checkpoint 2");
        }
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
            CheckpointPublisher publisher, SignedNote note, CosignException.Reason reason) {
        return assertThatThrownBy(() -> publisher.cosign(note))
                .isInstanceOfSatisfying(
                        CosignException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void storedCheckpointOfAnotherLog_isDroppedWhenReloading() throws Exception {
        TrustFile alone = TrustFile.majority("dossier/dossier/notary", List.of(first.verifierKey()));
        try (CommitmentLog other = CommitmentLogTest.logWith(directory.resolve("other"), commitment(9));
                CommitmentLog log = CommitmentLogTest.logWith(directory.resolve("log"), commitment(1))) {
            log.storeCosignedCheckpoint(
                    first.sign(alone.origin(), other, NOW.getEpochSecond()).format());
            try (CheckpointPublisher publisher = publisher(log, first, alone, CLOCK)) {
                assertThat(publisher.latest()).isEmpty();
                Checkpoint fresh = publisher.publish().orElseThrow().checkpoint();
                assertThat(fresh.root()).isEqualTo(log.root(1));
            }
        }
    }

    @Test
    void nodeWhoseKeyIsNotInTheTrustFile_publishesNothing_untilAnUpdateListsIt() throws Exception {
        TrustFile onlySecond = TrustFile.majority("dossier/dossier/notary", List.of(second.verifierKey()));
        TrustFile withFirst = TrustFile.majority("dossier/dossier/notary", List.of(first.verifierKey()));
        try (CommitmentLog log = CommitmentLogTest.logWith(directory.resolve("log"), commitment(1));
                CheckpointPublisher publisher = publisher(log, first, onlySecond, CLOCK)) {
            assertThat(publisher.publish()).isEmpty();
            assertThat(log.cosignedCheckpoint()).isEmpty();

            publisher.update(withFirst, List.of());

            assertThat(publisher.publish())
                    .get()
                    .satisfies(c -> assertThat(c.signers())
                            .containsExactly(first.verifierKey().name()));
            assertThat(publisher.trust()).isEqualTo(withFirst);
        }
    }

    @Test
    void afterAnUpdate_aRemovedNodesSignature_noLongerGetsACosignature_norCounts() throws Exception {
        TrustFile withoutFirst = TrustFile.majority("dossier/dossier/notary", List.of(second.verifierKey()));
        try (CommitmentLog log1 = CommitmentLogTest.logWith(directory.resolve("log1"), commitment(1));
                CommitmentLog log2 = CommitmentLogTest.logWith(directory.resolve("log2"), commitment(1));
                CheckpointPublisher publisher2 = publisher(log2, second, trust, CLOCK)) {
            SignedNote byFirst = first.sign(trust.origin(), log1, NOW.getEpochSecond());
            SignedNote cosigned = publisher2.cosign(byFirst);
            TrustFile before = trust;

            publisher2.update(withoutFirst, List.of());

            assertRefused(publisher2, byFirst, CosignException.Reason.MALFORMED)
                    .hasMessageContaining("not a checkpoint signed by a node of the consortium");
            assertThat(publisher2.trust().verifier().verify(cosigned))
                    .as("the removed node's line is ignored; the remaining one suffices for one key")
                    .containsExactly(second.verifierKey().name());
            assertThat(before.verifier().verify(cosigned)).hasSize(2);
        }
    }

    @Test
    void latestCheckpoint_thatTheNewKeysDoNotVerify_isDropped_andANewOneIsCosigned() throws Exception {
        TrustFile alone = TrustFile.majority("dossier/dossier/notary", List.of(first.verifierKey()));
        try (CommitmentLog log = CommitmentLogTest.logWith(directory.resolve("log"), commitment(1));
                CheckpointPublisher publisher = publisher(log, first, alone, CLOCK)) {
            publisher.publish().orElseThrow();

            publisher.update(trust, List.of());

            assertThat(publisher.latest())
                    .as("one signature of the two the new trust file needs")
                    .isEmpty();
        }
    }
}
