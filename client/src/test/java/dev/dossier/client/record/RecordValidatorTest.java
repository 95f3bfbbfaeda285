package dev.dossier.client.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.TestData;
import dev.dossier.client.digest.Canonical;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordValidatorTest {
    @TempDir
    Path directory;

    static List<ValidatedRow> validateAll(Path file) throws IOException {
        RecordValidator validator = new RecordValidator(FileScan.of(file));
        List<ValidatedRow> rows = new ArrayList<>();
        try (RecordSource source = RecordSource.open(file)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                rows.add(validator.validate(row));
            }
        }
        return rows;
    }

    @Test
    void dirtyFile_refusesExactlyTheListedRows() throws IOException {
        Path dirty = TestData.dirty();
        List<ValidatedRow> rows = validateAll(dirty);

        TreeSet<Long> refused = new TreeSet<>();
        rows.stream().filter(r -> !r.valid()).forEach(r -> refused.add(r.line()));
        assertThat(refused).isEqualTo(TestData.badLines(dirty));
        assertThat(rows).hasSize(2000);
    }

    @Test
    void sampleFiles_areAllValid() throws IOException {
        for (Path file : List.of(TestData.small(), TestData.tenThousand())) {
            List<ValidatedRow> rows = validateAll(file);
            assertThat(rows.stream().filter(r -> !r.valid()).map(r -> r.line() + " " + r.violations()))
                    .as(file.toString())
                    .isEmpty();
        }
    }

    @Test
    void canonicalJson_equalsJcsOfTheJsonForm_onEverySampleRow() throws IOException {
        for (Path file : List.of(TestData.small(), TestData.tenThousand(), TestData.dirty())) {
            for (ValidatedRow row : validateAll(file)) {
                if (row.valid()) {
                    assertThat(row.record().canonicalJson())
                            .as(file + " line " + row.line())
                            .isEqualTo(Canonical.jcs(row.record().toJson()));
                }
            }
        }
    }

    @Test
    void canonicalJson_escapesAndNonAscii_equalJcs() {
        Map<String, String> row = goodRow();
        row.put("course_title", "Sicurezza \"cantiere\" \\ più è €");
        row.put("learning_outcomes", "Emoji \uD83D\uDC77 worker");
        row.put("workload_hours", "7.50");
        row.put("ects", "0.25");
        TrainingRecord record = validate(row).record();
        assertThat(record.canonicalJson()).isEqualTo(Canonical.jcs(record.toJson()));
        assertThat(new String(record.canonicalJson(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"workload_hours\":7.5")
                .contains("\"ects\":0.25");
    }

    private static Map<String, String> goodRow() {
        return TestData.vectorRow();
    }

    private static ValidatedRow validate(Map<String, String> fields) {
        return new RecordValidator().validate(new RawRow(2, fields, List.of()));
    }

    private static List<String> violatedFields(Map<String, String> fields) {
        return validate(fields).violations().stream().map(Violation::field).toList();
    }

    @Test
    void validUntil_absent_isComputedFromTheRefresherPeriod() {
        TrainingRecord record = validate(goodRow()).record();
        assertThat(record.validUntil()).hasValueSatisfying(d -> assertThat(d).hasToString("2028-06-01"));
        assertThat(record.value(Field.COUNTRY)).isEqualTo("IT");
    }

    @Test
    void validUntil_beyondRefresherPeriod_isRefused() {
        Map<String, String> row = goodRow();
        row.put("valid_until", "2028-06-02");
        assertThat(violatedFields(row)).containsExactly("valid_until");
    }

    @Test
    void generalModule_neverExpires() {
        Map<String, String> row = goodRow();
        row.put("safety_module", "generale");
        assertThat(validate(row).record().validUntil()).isEmpty();
    }

    @Test
    void leapDay_refresherEndsOnTheLastDayOfFebruary() {
        Map<String, String> row = goodRow();
        row.put("safety_module", "preposto");
        row.put("start_date", "2024-02-28");
        row.put("end_date", "2024-02-28");
        row.put("issue_date", "2024-02-29");
        assertThat(validate(row).record().validUntil())
                .hasValueSatisfying(d -> assertThat(d).hasToString("2026-02-28"));
    }

    @Test
    void fiscalCode_omocodia_isAccepted() {
        // RSSMRA80A01H501U with the last digit of the place code replaced by its omocodia letter (1 -> M)
        String base = "RSSMRA80A01H50M";
        String code = base + FiscalCodes.checkCharacter(base + "X");
        assertThat(FiscalCodes.problem(code)).isNull();
        assertThat(FiscalCodes.problem("RSSMRA80A01H501U")).isNull();
    }

    @Test
    void fiscalCode_wrongCheckCharacter_isRefused() {
        assertThat(FiscalCodes.problem("RSSMRA80A01H501V")).contains("check character");
        assertThat(FiscalCodes.problem("RSSMRA80Z01H501U")).contains("month");
        assertThat(FiscalCodes.problem("RSSMRA80A01H5O1U")).contains("character 14");
    }

    @Test
    void fiscalCode_disagreeingWithBirthDate_isRefused() {
        Map<String, String> row = goodRow();
        row.put("worker_birth_date", "1976-05-28");
        assertThat(violatedFields(row)).containsExactly("worker_fiscal_code");
    }

    @Test
    void mandatoryElements_missing_areEachReported() {
        Map<String, String> row = goodRow();
        row.put("course_title", " ");
        row.remove("learning_outcomes");
        row.remove("workload_hours");
        assertThat(violatedFields(row))
                .containsExactlyInAnyOrder("course_title", "learning_outcomes", "workload_hours");
    }

    @Test
    void impossibleOrReversedDates_areRefused() {
        Map<String, String> row = goodRow();
        row.put("start_date", "2025-02-30");
        assertThat(violatedFields(row)).containsExactly("start_date");
        row = goodRow();
        row.put("end_date", "2025-05-26");
        assertThat(violatedFields(row)).containsExactly("end_date");
        row = goodRow();
        row.put("issue_date", "2025-05-27");
        assertThat(violatedFields(row)).containsExactly("issue_date");
    }

    @Test
    void numbersAndHash_outOfRange_areRefused() {
        Map<String, String> row = goodRow();
        row.put("workload_hours", "0");
        row.put("eqf_level", "9");
        row.put("evidence_sha256", "ab".repeat(31));
        row.put("safety_module", "nuoto");
        assertThat(violatedFields(row))
                .containsExactlyInAnyOrder("workload_hours", "eqf_level", "evidence_sha256", "safety_module");
    }

    @Test
    void duplicateRecordId_everyOccurrenceButTheLastRefused() throws IOException {
        Path csv = directory.resolve("dup.csv");
        String header = String.join(",", goodRow().keySet());
        String row = String.join(",", goodRow().values());
        Files.writeString(csv, header + "\n" + row + "\n" + row.replace("R-1", "R-2") + "\n" + row + "\n" + row + "\n");

        List<ValidatedRow> rows = validateAll(csv);

        assertThat(rows).extracting(ValidatedRow::valid).containsExactly(false, true, false, true);
        assertThat(rows.get(0).violations()).extracting(Violation::field).containsExactly("record_id");
        assertThat(FileScan.of(csv).rows()).isEqualTo(4);
    }

    @Test
    void jsonLines_nestedAndFlat_giveTheSameRecordAsCsv() throws IOException {
        TrainingRecord fromCsv = validate(goodRow()).record();
        Path jsonl = directory.resolve("records.jsonl");
        Map<String, String> flat = goodRow();
        flat.put("record_id", "R-2");
        String flatJson = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(flat);
        Files.writeString(jsonl, fromCsv.toJson() + "\n\n" + flatJson + "\n{\"record_id\":\"R-3\",\"colour\":1}\n");

        List<ValidatedRow> rows = validateAll(jsonl);

        assertThat(rows).extracting(ValidatedRow::line).containsExactly(1L, 3L, 4L);
        assertThat(rows.get(0).record().canonicalJson()).isEqualTo(fromCsv.canonicalJson());
        assertThat(rows.get(1).valid()).isTrue();
        assertThat(rows.get(2).violations()).extracting(Violation::field).containsExactly("colour");
    }

    @Test
    void csv_wrongColumnCount_isReportedWithItsLine() throws IOException {
        Path csv = directory.resolve("short.csv");
        Files.writeString(csv, "record_id,course_title\nA,\"multi\nline\"\nB\n");
        List<ValidatedRow> rows = validateAll(csv);
        assertThat(rows).extracting(ValidatedRow::line).containsExactly(2L, 4L);
        assertThat(rows.get(1).violations()).extracting(Violation::field).containsExactly("row");
    }
}
