package dev.dossier.client.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.client.record.SampleData.Defect;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator against the validator: clean rows all pass, and in dirty mode exactly the reported lines fail. */
class SampleDataTest {
    @TempDir
    Path directory;

    /** @return the report: line to its text */
    private Map<Long, String> write(Path csv, long seed, long rows, boolean dirty) throws IOException {
        StringWriter report = new StringWriter();
        try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            SampleData.Builder builder = SampleData.builder().seed(seed).rows(rows);
            if (dirty) {
                builder.dirty(report);
            }
            builder.build().write(out);
        }
        Map<Long, String> lines = new TreeMap<>();
        for (String line : report.toString().lines().toList()) {
            lines.put(Long.parseLong(line.substring(0, line.indexOf(' '))), line);
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 7, 42, -9_000_000_000L})
    void cleanRows_allPassTheValidator_withConsistentFacts(long seed) throws IOException {
        Path csv = directory.resolve("clean.csv");
        assertThat(write(csv, seed, 3000, false)).isEmpty();
        assertThat(Files.readString(csv))
                .as("no quoted cell: the demo cuts rows at commas")
                .doesNotContain("\"");

        List<ValidatedRow> rows = RecordValidatorTest.validateAll(csv);

        assertThat(rows).hasSize(3000);
        assertThat(rows.stream().filter(r -> !r.valid()).map(r -> r.line() + " " + r.violations()))
                .isEmpty();
        Set<String> modules = new TreeSet<>();
        for (ValidatedRow row : rows) {
            TrainingRecord record = row.record();
            record.validUntil().ifPresent(until -> assertThat(until).isAfterOrEqualTo(record.issueDate()));
            assertThat(record.issueDate()).isBeforeOrEqualTo(SampleData.LATEST_START.plusDays(60));
            modules.add(String.valueOf(record.value(Field.SAFETY_MODULE)));
        }
        assertThat(modules).as("every safety module of the catalogue occurs").hasSizeGreaterThan(18);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 7, 2026})
    void dirtyRows_exactlyTheReportedLinesFail(long seed) throws IOException {
        Path csv = directory.resolve("dirty.csv");
        Map<Long, String> report = write(csv, seed, 4000, true);

        List<ValidatedRow> rows = RecordValidatorTest.validateAll(csv);

        Set<Long> refused = new TreeSet<>();
        rows.stream().filter(r -> !r.valid()).forEach(r -> refused.add(r.line()));
        assertThat(refused).isEqualTo(report.keySet());
        assertThat(rows).hasSize(4000);
        // one row in 50 on average: 80 expected, far from both bounds
        assertThat(report).hasSizeBetween(40, 130);
        Set<Defect> kinds = EnumSet.noneOf(Defect.class);
        for (String line : report.values()) {
            String kind = line.split(" ")[1].replace(":", "").toUpperCase(Locale.ROOT);
            kinds.add(Defect.valueOf(kind));
        }
        assertThat(kinds).as("every kind of defect occurs").isEqualTo(EnumSet.allOf(Defect.class));
        for (ValidatedRow row : rows) {
            if (!row.valid()) {
                assertThat(row.violations()).as("line " + row.line()).hasSize(1);
            }
        }
    }

    @Test
    void sameArguments_sameBytes_andALongerFileStartsWithTheShorter() throws IOException {
        Path a = directory.resolve("a.csv");
        Path b = directory.resolve("b.csv");
        Path longer = directory.resolve("longer.csv");
        Path other = directory.resolve("other.csv");
        write(a, 11, 500, true);
        write(b, 11, 500, true);
        write(longer, 11, 800, false);
        write(other, 12, 500, false);
        write(directory.resolve("clean.csv"), 11, 500, false);

        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        List<String> clean = Files.readAllLines(directory.resolve("clean.csv"));
        assertThat(Files.readAllLines(longer).subList(0, 501)).isEqualTo(clean);
        assertThat(Files.readAllLines(other)).doesNotContainAnyElementsOf(clean.subList(1, 501));
    }

    @Test
    void disjointRanges_haveDisjointRecordIds() throws IOException {
        StringWriter first = new StringWriter();
        StringWriter second = new StringWriter();
        SampleData.builder().seed(5).first(0).rows(100).build().write(first);
        SampleData.builder().seed(5).first(100).rows(100).build().write(second);
        Set<String> ids = new TreeSet<>();
        for (StringWriter w : List.of(first, second)) {
            w.toString()
                    .lines()
                    .skip(1)
                    .forEach(l ->
                            assertThat(ids.add(l.substring(0, l.indexOf(',')))).isTrue());
        }
        assertThat(ids).hasSize(200);
    }

    @Test
    void fiscalCode_ofAKnownPerson_matchesTheAgenzia() {
        // Mario Rossi, born in Roma on 1 January 1980: the textbook example, RSSMRA80A01H501U
        assertThat(FiscalCodes.of("Rossi", "Mario", LocalDate.of(1980, 1, 1), false, "H501"))
                .isEqualTo("RSSMRA80A01H501U");
        // a woman's day is +40; four or more consonants in the name take the 1st, 3rd and 4th
        assertThat(FiscalCodes.of("D'Angelo", "Francesca", LocalDate.of(1976, 5, 27), true, "F205"))
                .startsWith("DNGFNC76E67F205");
    }

    @Test
    void vat_hasTheCheckDigit() {
        assertThat(SampleData.vat("1234567890")).isEqualTo("12345678903"); // the usual textbook example
    }

    @Test
    void negativeRows_areRefused() {
        assertThatThrownBy(() -> SampleData.builder().rows(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
