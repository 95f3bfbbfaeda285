package dev.dossier.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.TestData;
import dev.dossier.client.card.CardAnchoring;
import dev.dossier.client.card.CardIssuer;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.DossierException;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.crypto.P256PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dossier anchor --cards} in memory: each card in its record's transaction, files only for committed records,
 * and a crash and resume that anchors no card twice.
 */
class BulkCardsTest {
    private static final Instant FIRST_RUN = Instant.parse("2026-06-01T08:30:00Z");
    private static final Instant NEXT_DAY = Instant.parse("2026-06-02T09:00:00Z");

    @TempDir
    Path directory;

    private final FakeNotary notary = new FakeNotary("Org1MSP");
    private final P256PrivateKey privateKey = P256PrivateKey.generate();
    private final CardKey key = new CardKey(
            "Org1MSP",
            LocalDate.of(2026, 1, 1),
            LocalDate.of(2028, 12, 31),
            privateKey.publicKey().subjectPublicKeyInfo());
    private final Anchoring anchoring = new Anchoring(HmacKey.of(new byte[32]), HmacKey.of(new byte[32]));
    private final Path input = TestData.small();

    private BulkOptions options(int batchSize) {
        return BulkOptions.forInput(input, directory.resolve("out"))
                .withBatchSize(batchSize)
                .withInFlight(1)
                .withThreads(2)
                .withCards(directory.resolve("cards"));
    }

    private BulkReport run(BulkOptions options, Instant now) throws Exception {
        BulkCards signer = CardAnchoring.bulk(new CardIssuer(privateKey, key), Clock.fixed(now, ZoneOffset.UTC));
        return new BulkAnchorer(notary, anchoring, input, options, signer).run();
    }

    private Map<Path, String> cardFiles() throws Exception {
        Map<Path, String> files = new HashMap<>();
        try (Stream<Path> list = Files.list(directory.resolve("cards"))) {
            for (Path file : list.toList()) {
                files.put(file.getFileName(), Files.readString(file));
            }
        }
        return files;
    }

    private long entriesOfKind(String kind) {
        return notary.entries.values().stream()
                .filter(e -> e.get("kind").asText().equals(kind))
                .count();
    }

    /** Every file holds a genuine card (some of the sample's trainings have expired) signed at {@code signedAt}, anchored in its record's transaction. */
    private void assertCardsBoundToTheirRecords(Map<Path, String> files, Instant signedAt) {
        CardVerifier verifier = new CardVerifier(List.of(key));
        for (String text : files.values()) {
            CardCheck check = verifier.verify(text.strip(), LocalDate.of(2026, 6, 3));
            assertThat(check.verdict()).as(check.reason()).isIn(Verdict.VALID, Verdict.EXPIRED);
            assertThat(check.card().issuedAt()).isEqualTo(signedAt);
            ObjectNode card = notary.entries.get(check.digestHex());
            ObjectNode record = notary.entries.get(check.card().commitmentHex());
            assertThat(card.get("kind").asText()).isEqualTo("card");
            assertThat(record.get("kind").asText()).isEqualTo("record");
            assertThat(card.get("txId").asText()).isEqualTo(record.get("txId").asText());
            assertThat(card.has("subject")).isFalse();
        }
    }

    @Test
    void everyCard_isAnchoredInItsRecordsTransaction_andWrittenOnceCommitted() throws Exception {
        BulkReport report = run(options(3), FIRST_RUN);

        assertThat(report.anchored()).isEqualTo(20);
        assertThat(report.cards()).isEqualTo(20);
        assertThat(report.batches()).isEqualTo(7);
        assertThat(notary.transactions.get()).isEqualTo(7);
        assertThat(entriesOfKind("record")).isEqualTo(20);
        assertThat(entriesOfKind("card")).isEqualTo(20);
        Map<Path, String> files = cardFiles();
        assertThat(files).hasSize(20);
        assertCardsBoundToTheirRecords(files, FIRST_RUN);
    }

    @Test
    void crashAfterCommit_resumeSignsTheSameCards_andAnchorsNoCardTwice() throws Exception {
        notary.failAfter = 2; // batches 0 and 1 journaled; batch 2 committed, then the client loses it
        assertThatThrownBy(() -> run(options(3), FIRST_RUN)).isInstanceOf(DossierException.class);
        assertThat(entriesOfKind("card")).isEqualTo(9);
        assertThat(cardFiles()).as("files only of the journaled batches").hasSize(6);

        notary.failAfter = Integer.MAX_VALUE;
        BulkReport report = run(options(3), NEXT_DAY);

        assertThat(report.resumedRows()).isEqualTo(6);
        assertThat(report.alreadyAnchored()).as("batch 2's records").isEqualTo(3);
        assertThat(report.cards()).isEqualTo(14);
        assertThat(entriesOfKind("record")).isEqualTo(20);
        assertThat(entriesOfKind("card"))
                .as("batch 2's cards answered ALREADY_ANCHORED")
                .isEqualTo(20);
        Map<Path, String> files = cardFiles();
        assertThat(files).hasSize(20);
        assertCardsBoundToTheirRecords(files, FIRST_RUN);
    }

    @Test
    void cardFilesLostByACrash_areWrittenAgain_byteForByte() throws Exception {
        run(options(3), FIRST_RUN);
        Map<Path, String> before = cardFiles();
        List<Path> names = new ArrayList<>(before.keySet());
        Files.delete(directory.resolve("cards").resolve(names.get(0)));
        Files.writeString(directory.resolve("cards").resolve(names.get(1)), "DC1:");

        BulkReport again = run(options(3), NEXT_DAY);

        assertThat(again.batches()).isZero();
        assertThat(again.cards()).isEqualTo(2);
        assertThat(cardFiles()).isEqualTo(before);
        assertThat(entriesOfKind("card")).isEqualTo(20);
    }

    @Test
    void recordIdsThatAreNotFileSafe_getFilesOfTheirOwn() {
        Path cards = Path.of("cards");
        assertThat(BulkCards.file(cards, "REC-001.a_b", 2)).isEqualTo(cards.resolve("REC-001.a_b-v2.card"));
        Path slash = BulkCards.file(cards, "A/1", 1);
        Path colon = BulkCards.file(cards, "A:1", 1);
        Path underscore = BulkCards.file(cards, "A_1", 1);
        // the first 4 bytes of SHA-256("A/1") and of SHA-256("A:1"), computed outside the code under test
        assertThat(slash).isEqualTo(cards.resolve("A_1~a5b3d27a-v1.card"));
        assertThat(colon).isEqualTo(cards.resolve("A_1~370b9816-v1.card"));
        assertThat(java.util.Set.of(slash, colon, underscore)).hasSize(3);
        assertThat(BulkCards.file(cards, ".hidden", 1).getFileName().toString()).startsWith(".hidden~");
    }

    @Test
    void recordAnchoredByAnotherOrganisation_getsNoCardFile_evenOnResume() throws Exception {
        TrainingRecord taken = firstRecord();
        String commitment = HexFormat.of().formatHex(anchoring.prepare(0, taken).commitment());
        notary.entries.put(
                commitment,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("kind", "record")
                        .put("mspId", "Org2MSP"));

        BulkReport report = run(options(3), FIRST_RUN);

        assertThat(report.refusedOnChain()).isEqualTo(1);
        assertThat(report.cards()).isEqualTo(19);
        Path refused = BulkCards.file(directory.resolve("cards"), taken.recordId(), taken.version());
        assertThat(refused).doesNotExist();
        assertThat(Files.readString(options(3).errors())).contains(taken.recordId() + ",commitment,CONFLICT");

        try (Stream<Path> list = Files.list(directory.resolve("cards"))) {
            for (Path file : list.toList()) {
                Files.delete(file);
            }
        }
        BulkReport again = run(options(3), NEXT_DAY);
        assertThat(again.cards()).isEqualTo(19);
        assertThat(refused).doesNotExist();
    }

    @Test
    void journalOfAnUploadWithoutCards_isRefused_withTheWayOut() throws Exception {
        new BulkAnchorer(notary, anchoring, input, options(3).withCards(null)).run();
        assertThatThrownBy(() -> run(options(3), FIRST_RUN))
                .hasMessageContaining("belongs to another upload")
                .hasMessageContaining("write to another --out");
    }

    @Test
    void batchOfMoreThanHalfTheContractsLimit_isRefusedWithCards() {
        assertThatThrownBy(() -> options(2501))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two entries per record");
        assertThat(options(BulkOptions.AUTOMATIC).batchSizeFor(1_000_000)).isEqualTo(2500);
    }

    @Test
    void recordNoCardCanHold_isRefusedWithItsReason_andTheOthersGoOn() throws Exception {
        Map<String, String> fine = TestData.vectorRow();
        Map<String, String> longName = TestData.vectorRow();
        longName.put("record_id", "LONG-NAME");
        longName.put("worker_given_name", "Maria " + "Anna ".repeat(50));
        Path csv = directory.resolve("two.csv");
        Files.writeString(csv, csvLine(fine.keySet()) + csvLine(fine.values()) + csvLine(longName.values()));
        BulkOptions options = BulkOptions.forInput(csv, directory.resolve("out"))
                .withThreads(1)
                .withCards(directory.resolve("cards"));
        BulkCards signer = CardAnchoring.bulk(new CardIssuer(privateKey, key), Clock.fixed(FIRST_RUN, ZoneOffset.UTC));

        BulkReport report = new BulkAnchorer(notary, anchoring, csv, options, signer).run();

        assertThat(report.refusedRows()).isEqualTo(1);
        assertThat(report.anchored()).isEqualTo(1);
        assertThat(report.cards()).isEqualTo(1);
        assertThat(Files.readString(options.errors()))
                .contains("3,LONG-NAME,card,no card: given name is longer than 200 characters");
        assertThat(entriesOfKind("record")).isEqualTo(1);
    }

    @Test
    void keyThatMayNotSignOnTheUploadsDay_stopsItBeforeAnything() {
        assertThatThrownBy(() -> run(options(3), Instant.parse("2025-12-31T23:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("may not sign on 2025-12-31");
        assertThat(notary.transactions.get()).isZero();
    }

    private static String csvLine(java.util.Collection<String> values) {
        return values.stream()
                        .map(v -> "\"" + v.replace("\"", "\"\"") + "\"")
                        .collect(java.util.stream.Collectors.joining(","))
                + "\n";
    }

    private TrainingRecord firstRecord() throws Exception {
        try (RecordSource source = RecordSource.open(input)) {
            RawRow row = source.next();
            return new RecordValidator().validate(row).record();
        }
    }
}
