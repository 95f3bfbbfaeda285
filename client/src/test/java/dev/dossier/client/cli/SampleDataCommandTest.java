package dev.dossier.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataCommandTest {
    @TempDir
    Path directory;

    @Test
    void dirty_writesTheFileAndItsReport_sameBytesEachTime() throws Exception {
        Path first = directory.resolve("first.csv");
        Path second = directory.resolve("second.csv");

        assertThat(Main.run("sample-data", "--rows", "500", "--seed", "3", "--dirty", "--out", first.toString()))
                .isZero();
        assertThat(Main.run("sample-data", "--rows", "500", "--seed", "3", "--dirty", "--out", second.toString()))
                .isZero();

        assertThat(Files.readAllLines(first)).hasSize(501).first().asString().startsWith("record_id,");
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
        assertThat(Files.readAllLines(SampleDataCommand.badRows(first)))
                .isNotEmpty()
                .isEqualTo(Files.readAllLines(SampleDataCommand.badRows(second)));
    }

    @Test
    void clean_removesTheReportOfAnEarlierDirtyRun() throws Exception {
        Path csv = directory.resolve("records.csv");
        assertThat(Main.run("sample-data", "--rows", "200", "--dirty", "--out", csv.toString()))
                .isZero();

        assertThat(Main.run("sample-data", "--rows", "200", "--out", csv.toString()))
                .isZero();

        assertThat(SampleDataCommand.badRows(csv)).doesNotExist();
    }

    @Test
    void dirtyWithoutOut_isAUsageError() {
        assertThat(Main.run("sample-data", "--rows", "10", "--dirty")).isEqualTo(2);
    }
}
