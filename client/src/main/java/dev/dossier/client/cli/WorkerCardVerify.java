package dev.dossier.client.cli;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.client.transport.RevocationMemory;
import dev.dossier.common.card.CardRevocations;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.common.card.WorkerCardCheck;
import dev.dossier.common.card.WorkerCardVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.verdict.Verdict;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code dossier verify --card DW1:...}: a worker's safety card checked offline against the card keys of the pinned
 * trust file, then, unless offline, each module against its record's entry, found by its commitment prefix ({@code
 * GET /v1/status/<prefix>}). Prints the worker first, then each module's status, then the verdict.
 */
final class WorkerCardVerify {
    private WorkerCardVerify() {}

    /**
     * @return the exit code: 0 for a {@code VALID} card whose every module is valid or expiring, {@link Main#NOT_VALID}
     *     otherwise (a script gating site access must not let a revoked, superseded or expired module through because
     *     the card itself is genuine)
     */
    static int run(ClientOptions client, String text, boolean offline) throws IOException, InterruptedException {
        TrustFile trust = client.trust();
        WorkerCardCheck check = new WorkerCardVerifier(trust.cardKeys()).verify(text, LocalDate.now(ZoneOffset.UTC));
        String trusted = CardVerify.trustedKeys(client);
        RevocationMemory revocations = RevocationMemory.at(client.revocationDirectory());
        if (check.genuine() && !offline) {
            try {
                NodeApi node = new NodeApi(client.nodeUrl());
                List<dev.dossier.common.entry.LedgerEntry> entries = new ArrayList<>();
                for (WorkerCardCheck.ModuleCheck module : check.modules()) {
                    entries.add(node.statusByPrefix(module.module().prefixHex())
                            .map(LedgerEntry::shared)
                            .orElse(null));
                }
                check = WorkerCardVerifier.withLedger(check, entries);
                trusted += "; ledger at " + node.base() + "; " + CardVerify.sync(revocations, node, trust);
            } catch (IOException e) {
                trusted += "; ledger not reached (" + e.getMessage() + "): revocation not checked";
            }
        } else if (check.genuine()) {
            Optional<RevocationList> list = revocations.load(trust.origin());
            if (list.isPresent()) {
                check = CardRevocations.apply(check, list.get());
            }
            trusted += "; the ledger was not asked" + CardVerify.offlineNote(revocations, trust, list);
        }
        WorkerCard card = check.card();
        if (card != null) {
            System.out.println("  worker        " + card.givenName() + " " + card.familyName());
            System.out.println("  birth date    " + CardVerify.or(card.birthDate()));
            for (WorkerCardCheck.ModuleCheck module : check.modules()) {
                System.out.printf(
                        "  %-13s %s (%s): %s%n",
                        module.status().name().toLowerCase(Locale.ROOT),
                        module.module().code(),
                        module.module().title(),
                        module.reason());
            }
            System.out.println("  issued        " + card.issuedAt() + " by " + card.issuer());
        }
        CardVerify.printVerdict(check.verdict(), check.reason(), card != null, trusted);
        boolean everyModuleCurrent = check.modules().stream()
                .allMatch(m ->
                        m.status() == WorkerCardCheck.Status.VALID || m.status() == WorkerCardCheck.Status.EXPIRING);
        return check.verdict() == Verdict.VALID && everyModuleCurrent ? 0 : Main.NOT_VALID;
    }
}
