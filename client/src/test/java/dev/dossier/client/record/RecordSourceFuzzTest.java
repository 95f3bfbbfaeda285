package dev.dossier.client.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the reading and validation of uploaded files: the bytes as a CSV file ({@link CsvSource}) and as a JSON Lines
 * file ({@link JsonLinesSource}), every row through {@link RecordValidator#validate}. Whatever the bytes, opening and
 * reading fail only with {@link IOException} (an unreadable file), every row read comes back from validation as a
 * record or with the reasons it was refused, and reading ends. Seeds, in {@code
 * src/test/resources/dev/dossier/client/record/RecordSourceFuzzTestInputs/<method>/}, are valid and refused rows.
 */
class RecordSourceFuzzTest {
    @FuzzTest
    void csv(byte[] data) {
        RecordSource source;
        try {
            source = new CsvSource(new ByteArrayInputStream(data));
        } catch (IOException e) {
            return;
        }
        readAll(source, data.length);
    }

    @FuzzTest
    void jsonLines(byte[] data) {
        readAll(new JsonLinesSource(new ByteArrayInputStream(data)), data.length);
    }

    private static void readAll(RecordSource source, int length) {
        RecordValidator validator = new RecordValidator();
        long rows = 0;
        long lastLine = 0;
        try (source) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                assertThat(++rows).as("rows read from %s bytes", length).isLessThanOrEqualTo(length);
                assertThat(row.line()).isGreaterThanOrEqualTo(Math.max(1, lastLine));
                lastLine = row.line();
                ValidatedRow validated = validator.validate(row);
                assertThat(validated.line()).isEqualTo(row.line());
                assertThat(validated.valid()).isEqualTo(validated.violations().isEmpty());
                if (!row.problems().isEmpty()) {
                    assertThat(validated.valid()).isFalse();
                }
                if (validated.valid()) {
                    assertThat(validated.record().recordId()).isEqualTo(validated.recordId());
                }
            }
        } catch (IOException e) {
            // an unreadable file: reported as such
        }
    }
}
