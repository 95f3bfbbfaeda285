package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.LedgerEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Ledger entries on standard output, for the view commands: a table (one entry a line, the columns that say whether it
 * still holds) or, with {@code --json}, a JSON array of the entries as the contract returned them, each with its
 * {@code effective} status of today ({@code valid}, {@code expired}, {@code revoked}, {@code superseded}, or
 * {@code not_found} for a commitment the ledger does not hold).
 */
final class EntryTable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FORMAT = "%-64s  %-10s  %-10s  %-20s  %-10s  %s%n";

    private EntryTable() {}

    /** @return what an entry means today: valid, expired, revoked or superseded */
    static String effective(LedgerEntry e, LocalDate today) {
        if (!"active".equals(e.status())) {
            return e.status();
        }
        return e.validUntil() != null && e.validUntil().isBefore(today) ? "expired" : "valid";
    }

    /** Prints {@code entries}; a null element is a commitment in {@code asked} that the ledger does not hold. */
    static void print(PrintStream out, List<String> asked, List<LedgerEntry> entries, boolean json) throws IOException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (json) {
            ArrayNode array = MAPPER.createArrayNode();
            for (int i = 0; i < entries.size(); i++) {
                LedgerEntry e = entries.get(i);
                ObjectNode node = e == null
                        ? MAPPER.createObjectNode().put("commitment", asked.get(i))
                        : (ObjectNode) MAPPER.readTree(e.json());
                node.put("effective", e == null ? "not_found" : effective(e, today));
                array.add(node);
            }
            out.println(MAPPER.writeValueAsString(array));
            return;
        }
        out.printf(FORMAT, "commitment", "effective", "org", "anchored at", "valid until", "details");
        for (int i = 0; i < entries.size(); i++) {
            LedgerEntry e = entries.get(i);
            if (e == null) {
                out.printf(FORMAT, asked.get(i), "not_found", "", "", "", "");
                continue;
            }
            out.printf(
                    FORMAT,
                    e.commitment(),
                    effective(e, today),
                    e.mspId(),
                    e.anchoredAt() == null
                            ? ""
                            : e.anchoredAt()
                                    .substring(0, Math.min(20, e.anchoredAt().length())),
                    e.validUntil() == null ? "-" : e.validUntil(),
                    details(e));
        }
    }

    /** @return the reason and links of an entry, for the table's last column */
    static String details(LedgerEntry e) {
        StringBuilder s = new StringBuilder();
        if (e.reason() != null) {
            s.append("reason ").append(e.reason()).append(' ');
        }
        if (e.supersededBy() != null) {
            s.append("superseded by ").append(e.supersededBy()).append(' ');
        }
        JsonNode supersedes = json(e).get("supersedes");
        if (supersedes != null) {
            s.append("supersedes ").append(supersedes.asText());
        }
        return s.toString().strip();
    }

    private static JsonNode json(LedgerEntry e) {
        try {
            return MAPPER.readTree(e.json());
        } catch (IOException x) {
            return MAPPER.createObjectNode();
        }
    }
}
