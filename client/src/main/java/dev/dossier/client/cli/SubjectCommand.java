package dev.dossier.client.cli;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dossier dossier --subject P | --fiscal-code F}: a worker's entries with their status today. */
@Command(
        name = "dossier",
        mixinStandardHelpOptions = true,
        description = {
            "List the entries of one worker: by subject pseudonym, or by fiscal code, made a pseudonym with the",
            "sector pseudonym key (--pseudonym-key, or sector-pseudonym.key in the config directory; the fiscal code",
            "never leaves this machine). Each entry with its status today (valid, expired, revoked, superseded).",
            "Within the caller's reach: a worker sees their own subject, an auditor every organisation's entries,",
            "an issuer or employer its own organisation's. --active leaves out the revoked and superseded entries."
        })
final class SubjectCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @ArgGroup(multiplicity = "1")
    Who who;

    static final class Who {
        @Option(names = "--subject", paramLabel = "HEX", description = "the subject pseudonym, 64 hex digits")
        String subject;

        @Option(names = "--fiscal-code", paramLabel = "CODE", description = "the worker's fiscal code")
        String fiscalCode;
    }

    @Option(names = "--active", description = "only the active entries: not revoked, not superseded (expired or not)")
    boolean active;

    @Option(names = "--json", description = "a JSON array of the entries instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String subject = who.subject != null
                ? who.subject
                : Commitments.pseudonym(HmacKey.load(client.pseudonymKeyFile()), who.fiscalCode);
        List<LedgerEntry> entries;
        try (ClientOptions.Session session = client.connect("auditor", false)) {
            entries = session.dossier().dossier(subject);
        }
        if (active) {
            List<LedgerEntry> current = new ArrayList<>();
            for (LedgerEntry e : entries) {
                if ("active".equals(e.status())) {
                    current.add(e);
                }
            }
            entries = current;
        }
        EntryTable.print(System.out, List.of(), entries, json);
        return 0;
    }
}
