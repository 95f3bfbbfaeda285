package dev.dossier.client.cli;

import dev.dossier.client.Dossier;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.digest.Commitment;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dossier status --input LIST | --hash H}: the entries of many commitments at once. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Print the ledger's entry of each commitment with its status today (valid, expired, revoked, superseded,",
            "not_found). --input is a file of commitments, one a line (blank lines and lines starting with # are",
            "skipped; at most " + StatusCommand.MAX + " commitments), or a receipts file (JSON Lines), whose",
            "commitments are read. Exit code 0 if every one is valid, 4 otherwise."
        })
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final int MAX = 100_000;

    @Mixin
    ClientOptions client;

    @Option(names = "--input", paramLabel = "FILE", description = "commitments, one a line, or receipts (.jsonl)")
    Path input;

    @Option(names = "--hash", paramLabel = "H", description = "one commitment, 64 hex digits")
    List<String> hashes = new ArrayList<>();

    @Option(names = "--json", description = "a JSON array of the entries instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> asked = new ArrayList<>(hashes);
        if (input != null) {
            asked.addAll(read(input));
        }
        if (asked.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --input FILE or --hash H");
        }
        List<LedgerEntry> entries = new ArrayList<>(asked.size());
        boolean allValid = true;
        try (ClientOptions.Session session = client.connect("inspector", false)) {
            Dossier dossier = session.dossier();
            for (String hash : asked) {
                LedgerEntry entry = dossier.status(Commitment.fromHex(hash)).orElse(null);
                entries.add(entry);
                allValid &= entry != null
                        && EntryTable.effective(entry, java.time.LocalDate.now(java.time.ZoneOffset.UTC))
                                .equals("valid");
            }
        }
        EntryTable.print(System.out, asked, entries, json);
        return allValid ? 0 : Main.NOT_VALID;
    }

    private static List<String> read(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                if (text.startsWith("{")) {
                    text = EntryTable.MAPPER.readTree(text).path("commitment").asText("");
                }
                if (!text.matches("[0-9a-fA-F]{64}")) {
                    throw new IOException(file + " line " + number + ": not a commitment of 64 hex digits");
                }
                if (out.size() == MAX) {
                    throw new IOException(file + ": more than " + MAX + " commitments; split the list");
                }
                out.add(text);
            }
        }
        return out;
    }
}
