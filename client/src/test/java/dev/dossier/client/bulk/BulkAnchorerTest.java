package dev.dossier.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.AnchorReceipt;
import dev.dossier.client.TestData;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.transport.DossierException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk anchoring against the contract's semantics in memory: receipts, error report, journal and resume. */
class BulkAnchorerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path directory;

    private final FakeNotary notary = new FakeNotary("Org1MSP");

    private BulkReport anchorAll(Path input, BulkOptions options) throws Exception {
        Anchoring anchoring = new Anchoring(HmacKey.of(new byte[32]), HmacKey.of(new byte[32]));
        return new BulkAnchorer(notary, anchoring, input, options).run();
    }

    private BulkOptions options(Path input, int batchSize) {
        return BulkOptions.forInput(input, directory.resolve("out"))
                .withBatchSize(batchSize)
                .withInFlight(3)
                .withThreads(2);
    }

    private static List<AnchorReceipt> receipts(Path file) throws Exception {
        return Files.readAllLines(file).stream()
                .map(l -> {
                    try {
                        return MAPPER.readValue(l, AnchorReceipt.class);
                    } catch (Exception e) {
                        throw new IllegalStateException(l, e);
                    }
                })
                .toList();
    }

    @Test
    void dirtyFile_anchorsEveryGoodRow_andReportsExactlyTheBadOnes() throws Exception {
        Path input = TestData.dirty();
        BulkOptions options = options(input, 300);

        BulkReport report = anchorAll(input, options);

        Set<Long> bad = TestData.badLines(input);
        assertThat(bad).as("bad rows of the dirty sample").hasSizeGreaterThan(20);
        Set<Long> reported = Files.readAllLines(options.errors()).stream()
                .skip(1)
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(reported).isEqualTo(bad);
        assertThat(report.rows()).isEqualTo(2000);
        assertThat(report.refusedRows()).isEqualTo(bad.size());
        assertThat(report.anchored()).isEqualTo(2000 - bad.size());
        List<AnchorReceipt> receipts = receipts(options.receipts());
        assertThat(receipts).hasSize(2000 - bad.size()).allMatch(r -> r.outcome() == Outcome.ANCHORED);
        assertThat(receipts).extracting(AnchorReceipt::line).doesNotContainAnyElementsOf(bad);
        assertThat(notary.entries).hasSize(2000 - bad.size());
        assertThat(notary.entries.values())
                .allMatch(e -> e.get("subject").asText().length() == 64);
    }

    @Test
    void crashAfterCommit_rerun_skipsJournaledBatches_andReportsAlreadyAnchored() throws Exception {
        Path input = TestData.small();
        BulkOptions options = options(input, 3).withInFlight(1);
        notary.failAfter = 2; // batches 0 and 1 journaled; batch 2 committed, then the client loses it

        assertThatThrownBy(() -> anchorAll(input, options)).isInstanceOf(DossierException.class);
        assertThat(receipts(options.receipts())).hasSize(6);
        assertThat(notary.entries).hasSize(9);

        notary.failAfter = Integer.MAX_VALUE;
        BulkReport report = anchorAll(input, options);

        assertThat(report.resumedBatches()).isEqualTo(2);
        assertThat(report.resumedRows()).isEqualTo(6);
        assertThat(report.alreadyAnchored()).isEqualTo(3);
        assertThat(report.anchored()).isEqualTo(11);
        List<AnchorReceipt> receipts = receipts(options.receipts());
        assertThat(receipts)
                .extracting(AnchorReceipt::recordId)
                .doesNotHaveDuplicates()
                .hasSize(20);
        assertThat(receipts.stream().filter(r -> r.outcome() == Outcome.ALREADY_ANCHORED))
                .hasSize(3);
        assertThat(notary.entries).hasSize(20);

        BulkReport again = anchorAll(input, options);
        assertThat(again.resumedRows()).isEqualTo(20);
        assertThat(again.batches()).isZero();
        assertThat(receipts(options.receipts())).hasSize(20);
    }

    @Test
    void refusedTransaction_stopsTheRun_andReportsItsRowsWithTheReason() throws Exception {
        Path input = TestData.small();
        BulkOptions options = options(input, 5).withInFlight(1);
        notary.refusal = "anchorBatch was refused at endorsement: ABORTED PERMISSION_DENIED: role inspector of"
                + " Org1MSP may not call anchorBatch";

        assertThatThrownBy(() -> anchorAll(input, options)).isInstanceOf(DossierException.class);

        List<String> lines = Files.readAllLines(options.errors());
        assertThat(lines.get(0)).isEqualTo("line,record_id,field,reason");
        assertThat(lines.subList(1, lines.size()))
                .extracting(l -> l.substring(0, l.indexOf(',')))
                .containsExactly("2", "3", "4", "5", "6");
        assertThat(lines.subList(1, lines.size())).allMatch(l -> l.endsWith(",transaction,FAILED: " + notary.refusal));
        assertThat(notary.entries).isEmpty();
    }

    @Test
    void journalOfAnotherBatchSize_isRefused() throws Exception {
        Path input = TestData.small();
        anchorAll(input, options(input, 5));
        assertThatThrownBy(() -> anchorAll(input, options(input, 7))).hasMessageContaining("belongs to another upload");
    }

    @Test
    void sameFileAnchoredAfresh_withoutJournal_isAllAlreadyAnchored() throws Exception {
        Path input = TestData.small();
        anchorAll(input, options(input, 7));
        Files.delete(options(input, 7).journal());

        BulkReport report = anchorAll(input, options(input, 7));

        assertThat(report.alreadyAnchored()).isEqualTo(20);
        assertThat(report.anchored()).isZero();
    }
}
