package dev.dossier.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void linePerNode_columnsAligned_unreachableNodeWithItsReason() throws Exception {
        StatusTable table = new StatusTable();
        table.add(
                "node0.org1",
                JSON.readTree("{\"status\":\"ok\",\"height\":12,\"ordering\":{\"role\":\"leader\","
                        + "\"leader\":\"node0.org1\",\"term\":3,\"commit_index\":40,\"applied_index\":40,"
                        + "\"follower_lag\":2,\"queued_transactions\":0,\"batches_in_flight\":1,"
                        + "\"uncommitted_transactions\":5,\"oldest_uncommitted_seconds\":1.25}}"));
        table.add(
                "node0.org2",
                JSON.readTree("{\"status\":\"unavailable\",\"height\":9,\"ordering\":{\"role\":\"stopped\","
                        + "\"leader\":null,\"term\":null,\"commit_index\":null,\"applied_index\":null,"
                        + "\"follower_lag\":null,\"queued_transactions\":130,\"batches_in_flight\":2,"
                        + "\"uncommitted_transactions\":330,\"oldest_uncommitted_seconds\":42.0}}"));
        table.addUnreachable("node0.org3", "http://localhost:9053/healthz: Connection refused");

        assertThat(table.format())
                .isEqualTo("node        status       height  role     leader      term  commit  applied  lag  queued"
                        + "  batches  uncommitted  oldest\n"
                        + "node0.org1  ok           12      leader   node0.org1  3     40      40       2    0"
                        + "       1        5            1.3 s\n"
                        + "node0.org2  unavailable  9       stopped  -           -     -       -        -    130"
                        + "     2        330          42.0 s\n"
                        + "node0.org3  unreachable: http://localhost:9053/healthz: Connection refused\n");
    }

    @Test
    void nodeWithoutOrderingFigures_showsDashes() throws Exception {
        StatusTable table = new StatusTable();
        table.add("n", JSON.readTree("{\"status\":\"ok\",\"height\":1}"));
        assertThat(table.format().lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("n     ok      1       -     -       -     -       -        -    -       -        -"
                        + "            -");
    }
}
