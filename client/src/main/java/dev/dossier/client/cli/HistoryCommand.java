package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.dossier.client.EntryChange;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.digest.Commitment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dossier history --hash H}: every committed change of an entry, who and when. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "Print every committed change of an entry, oldest first: its anchoring, supersession, revocation, with the",
            "transaction, its time, the organisation and the status after it. Within the caller's reach (the role",
            "policy's history permission). Exit code 0, or 4 if the ledger holds no such entry."
        })
final class HistoryCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--hash", required = true, paramLabel = "H", description = "the commitment, 64 hex digits")
    String hash;

    @Option(names = "--json", description = "a JSON array of the changes instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Commitment commitment = Commitment.fromHex(hash);
        List<EntryChange> changes;
        try (ClientOptions.Session session = client.connect("auditor", false)) {
            changes = session.dossier().history(commitment);
        }
        changes = new ArrayList<>(changes);
        Collections.reverse(changes); // the contract answers newest first
        if (json) {
            ArrayNode array = EntryTable.MAPPER.createArrayNode();
            for (EntryChange c : changes) {
                array.addObject()
                        .put("txId", c.txId())
                        .put("timestamp", c.timestamp())
                        .put("delete", c.deleted())
                        .set(
                                "value",
                                c.entry() == null
                                        ? null
                                        : EntryTable.MAPPER.readTree(c.entry().json()));
            }
            System.out.println(EntryTable.MAPPER.writeValueAsString(array));
        } else {
            System.out.printf("%-30s  %-64s  %-10s  %-10s  %s%n", "time", "transaction", "org", "status", "details");
            for (EntryChange c : changes) {
                LedgerEntry e = c.entry();
                System.out.printf(
                        "%-30s  %-64s  %-10s  %-10s  %s%n",
                        c.timestamp(),
                        c.txId(),
                        e == null ? "" : e.mspId(),
                        e == null ? "deleted" : e.status(),
                        e == null ? "" : EntryTable.details(e));
            }
        }
        return changes.isEmpty() ? Main.NOT_VALID : 0;
    }
}
