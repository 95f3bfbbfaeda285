package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.certificate.Certificate;
import dev.dossier.client.cli.Main;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.CheckpointMemory;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.node.identity.Signer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: a consortium whose node keys sign a second history of the log (a split view) shows one verifier a checkpoint
 * that is not consistent with the one it accepted before. Through a real node: two records anchored (the log has 2
 * leaves); the holder of the second record's certificate verifies it with {@code dossier verify} (the checkpoint of 2
 * leaves is remembered); then certificates of the same record whose receipts rest on forged checkpoints, signed with
 * the node's own key (which the attacker holds): a tree of the same size with another root, and a one-leaf tree that
 * is not a prefix of the log. Each verifies offline against the pinned key, and {@code dossier verify} refuses each as
 * a split view, online and offline, keeping the checkpoint it accepted before.
 */
class SplitViewAttackIT {
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(60);
    private static final String ORIGIN = "dossier/dossier/notary";
    /** {@code dossier verify}'s exit code for any verdict but VALID. */
    private static final int NOT_VALID = 4;

    @Test
    void forgedCheckpoints_signedWithTheNodesKey_areRefusedAsASplitView(@TempDir Path directory) throws Exception {
        try (LocalNode node = new LocalNode(directory.resolve("ledger"))) {
            Path keys = directory.resolve("keys");
            Path config = directory.resolve("inspector-config");
            List<TrainingRecord> records = records(2);
            List<AnchorReceipt> anchored = new ArrayList<>();
            try (Gateway gateway = node.gateway("Issuer")) {
                Dossier issuer = LocalNode.dossier(gateway, keys);
                for (TrainingRecord record : records) {
                    anchored.add(issuer.anchor(record));
                }
            }
            NodeApi api = new NodeApi(URI.create(node.node.httpUrl()));
            TrainingRecord record = records.get(1);
            byte[] salt = HexFormat.of().parseHex(anchored.get(1).salt());
            Receipt honest = api.receipt(Commitment.fromHex(anchored.get(1).commitment()), RECEIPT_WAIT);
            assertThat(honest.leafIndex()).isEqualTo(1);
            assertThat(honest.treeSize()).isEqualTo(2);
            Path trust = directory.resolve("trust.txt");
            TrustFile pinned = api.trust();
            Files.writeString(trust, pinned.format());

            // The attacker's forgeries, signed with the node's key: the certificate's leaf in another tree.
            byte[] leaf = honest.leafData();
            byte[] junk = Rfc9162.leafHash("another history".getBytes(StandardCharsets.UTF_8));
            byte[] leafHash = Rfc9162.leafHash(leaf);
            Receipt sameSize = forged(node, honest, 1, 2, List.of(junk), Rfc9162.nodeHash(junk, leafHash));
            Receipt notAPrefix = forged(node, honest, 0, 1, List.of(), leafHash);

            Path honestFile = certificate(directory, "honest", record, salt, node, honest);
            Path sameSizeFile = certificate(directory, "same-size", record, salt, node, sameSize);
            Path notAPrefixFile = certificate(directory, "not-a-prefix", record, salt, node, notAPrefix);
            // Each forgery verifies on its own: only the remembered checkpoint catches it.
            for (Receipt forgery : List.of(sameSize, notAPrefix)) {
                assertThat(Certificate.verifyReceipt(forgery.encode(), null, pinned, LocalDate.now())
                                .status())
                        .isEqualTo(Verdict.VALID);
            }

            Run first = verify(node, config, trust, honestFile, false);
            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.output()).contains("first checkpoint of " + ORIGIN + " remembered");
            Path remembered = CheckpointMemory.at(config.resolve("checkpoints")).file(ORIGIN);
            String rememberedNote = Files.readString(remembered);
            assertThat(rememberedNote).isEqualTo(honest.checkpoint());

            Run same = verify(node, config, trust, sameSizeFile, false);
            assertThat(same.exit()).as(same.output()).isEqualTo(NOT_VALID);
            assertThat(same.output())
                    .contains("SPLIT_VIEW")
                    .contains("presented a split view")
                    .contains("two different roots for the same size 2");

            Run sameOffline = verify(node, config, trust, sameSizeFile, true);
            assertThat(sameOffline.exit()).as(sameOffline.output()).isEqualTo(NOT_VALID);
            assertThat(sameOffline.output()).contains("SPLIT_VIEW");

            Run prefix = verify(node, config, trust, notAPrefixFile, false);
            assertThat(prefix.exit()).as(prefix.output()).isEqualTo(NOT_VALID);
            assertThat(prefix.output())
                    .contains("SPLIT_VIEW")
                    .contains("the tree of 1 leaves is not proved a prefix of the tree of 2");

            assertThat(Files.readString(remembered))
                    .as("the checkpoint accepted before stays, as evidence")
                    .isEqualTo(rememberedNote);
            Run again = verify(node, config, trust, honestFile, false);
            assertThat(again.exit()).as(again.output()).isZero();
            assertThat(again.output()).contains("checkpoint: the checkpoint accepted before");
        }
    }

    private static List<TrainingRecord> records(int n) throws Exception {
        List<TrainingRecord> out = new ArrayList<>();
        try (RecordSource source = RecordSource.open(TestData.small())) {
            for (RawRow row = source.next(); row != null && out.size() < n; row = source.next()) {
                out.add(new RecordValidator().validate(row).record());
            }
        }
        return out;
    }

    /** The honest receipt's leaf at {@code index} of a tree of {@code size} leaves with {@code root}, node-signed. */
    private static Receipt forged(
            LocalNode node, Receipt honest, long index, long size, List<byte[]> proof, byte[] root) throws Exception {
        Signer signer = Signer.fromPem(node.settings.mspId(), node.settings.signCertificate(), node.settings.signKey());
        String text = new Checkpoint(ORIGIN, size, root, Instant.now().getEpochSecond()).text();
        NoteSignature signature = new NoteSignature(
                node.settings.name(),
                NoteVerifier.keyId(signer.certificate().getPublicKey()),
                signer.sign(text.getBytes(StandardCharsets.UTF_8)));
        return Receipt.of(
                honest.commitment(),
                index,
                size,
                proof,
                honest.entry(),
                SignedNote.of(text, List.of(signature)).format());
    }

    private static Path certificate(
            Path directory, String name, TrainingRecord record, byte[] salt, LocalNode node, Receipt receipt)
            throws Exception {
        Path file = directory.resolve(name + ".certificate.json");
        Files.writeString(
                file,
                Certificate.of(record, salt, URI.create(node.node.httpUrl()), receipt)
                        .toJson());
        return file;
    }

    private record Run(int exit, String output) {}

    private static Run verify(LocalNode node, Path config, Path trust, Path certificate, boolean offline) {
        List<String> args = new ArrayList<>(List.of(
                "verify",
                "--receipt",
                certificate.toString(),
                "--trust",
                trust.toString(),
                "--node-url",
                node.node.httpUrl()));
        args.addAll(List.of(node.cli("Inspector", config)));
        if (offline) {
            args.add("--offline");
        }
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        return new Run(exit, captured.toString(StandardCharsets.UTF_8));
    }
}
