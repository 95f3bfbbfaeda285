package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.cli.Main;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordSource;
import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.StateEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing personal reaches the ledger: after bulk anchoring the sample files (the dirty one included) through a real
 * node, no fiscal code, birth date or name from the input occurs in any block (transaction arguments, read-write
 * sets, creator and endorser certificates), in the world state, or in the node's files on disk.
 */
class PersonalDataScanIT {
    /** Shorter names could occur by chance in the blocks' binary fields (signatures, hashes). */
    private static final int MIN_NAME_LENGTH = 5;

    @Test
    void anchoredSamples_leaveNoFiscalCodeBirthDateOrNameOnTheLedger(@TempDir Path directory) throws Exception {
        Set<String> personal = new LinkedHashSet<>();
        List<Path> inputs = List.of(TestData.small(), TestData.dirty(), TestData.tenThousand());
        for (Path input : inputs) {
            personal.addAll(personalValues(input));
        }
        assertThat(personal).as("personal values read from the samples").hasSizeGreaterThan(2_000);

        try (LocalNode node = new LocalNode(directory.resolve("ledger"))) {
            for (Path input : inputs) {
                List<String> args = new ArrayList<>(List.of(
                        "anchor",
                        "--input",
                        input.toString(),
                        "--out",
                        directory.resolve("out").toString(),
                        "--no-progress"));
                args.addAll(List.of(node.cli("Issuer", directory.resolve("keys"))));
                assertThat(Main.run(args.toArray(String[]::new)))
                        .as(input.toString())
                        .isIn(0, 3);
            }

            Ledger ledger = node.node.ledger();
            assertThat(ledger.height()).isGreaterThan(3);
            Scanner scanner = new Scanner(personal);
            for (long n = 0; n < ledger.height(); n++) {
                scanner.scan("block " + n, ledger.block(n).orElseThrow().toByteArray());
            }
            List<StateEntry> state = ledger.range("notary", "", "", Integer.MAX_VALUE);
            assertThat(state).hasSizeGreaterThan(10_000);
            for (StateEntry entry : state) {
                scanner.scan("state key", entry.key().getBytes(StandardCharsets.UTF_8));
                scanner.scan("state of " + entry.key(), entry.value().value());
            }
            assertThat(scanner.found).as("personal data in blocks or state").isEmpty();
        }
        Scanner files = new Scanner(personal);
        try (Stream<Path> all = Files.walk(directory.resolve("ledger"))) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.scan(file.toString(), Files.readAllBytes(file));
            }
        }
        assertThat(files.found).as("personal data in the node's files").isEmpty();

        // The scan finds what is there: the input file itself holds every value.
        Scanner control = new Scanner(personal);
        control.scan("input", Files.readAllBytes(inputs.get(0)));
        assertThat(control.found).isNotEmpty();
    }

    private static Set<String> personalValues(Path input) throws IOException {
        Set<String> values = new LinkedHashSet<>();
        try (RecordSource source = RecordSource.open(input)) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                for (String column : List.of("worker_fiscal_code", "worker_birth_date")) {
                    String value = row.fields().get(column);
                    if (value != null && value.strip().length() >= 8) {
                        values.add(value.strip());
                    }
                }
                for (String column : List.of("worker_given_name", "worker_family_name")) {
                    String value = row.fields().get(column);
                    if (value != null && value.strip().length() >= MIN_NAME_LENGTH) {
                        values.add(value.strip());
                    }
                }
            }
        }
        return values;
    }

    /** Finds any of a set of strings in byte arrays (as UTF-8), remembering where. */
    private static final class Scanner {
        private final List<byte[]> needles = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();
        final List<String> found = new ArrayList<>();

        Scanner(Set<String> values) {
            for (String value : values) {
                texts.add(value);
                needles.add(value.getBytes(StandardCharsets.UTF_8));
            }
        }

        void scan(String where, byte[] haystack) {
            // Index every needle by its first two bytes, so each position of the haystack costs one lookup.
            java.util.Map<Integer, List<Integer>> byPrefix = prefixes();
            for (int i = 0; i + 1 < haystack.length; i++) {
                List<Integer> candidates = byPrefix.get(((haystack[i] & 0xFF) << 8) | (haystack[i + 1] & 0xFF));
                if (candidates == null) {
                    continue;
                }
                for (int k : candidates) {
                    if (matches(haystack, i, needles.get(k))) {
                        found.add(texts.get(k) + " in " + where);
                        if (found.size() > 20) {
                            return;
                        }
                    }
                }
            }
        }

        private java.util.Map<Integer, List<Integer>> index;

        private java.util.Map<Integer, List<Integer>> prefixes() {
            if (index == null) {
                index = new java.util.HashMap<>();
                for (int k = 0; k < needles.size(); k++) {
                    byte[] n = needles.get(k);
                    index.computeIfAbsent(((n[0] & 0xFF) << 8) | (n[1] & 0xFF), x -> new ArrayList<>())
                            .add(k);
                }
            }
            return index;
        }

        private static boolean matches(byte[] haystack, int at, byte[] needle) {
            if (at + needle.length > haystack.length) {
                return false;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[at + j] != needle[j]) {
                    return false;
                }
            }
            return true;
        }
    }
}
