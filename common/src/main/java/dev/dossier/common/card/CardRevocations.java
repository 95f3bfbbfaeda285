package dev.dossier.common.card;

import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Adds a verified revocation list ({@link RevocationList}) to an offline check of a genuine card (a record's card, or a
 * worker's safety card module by module): a card whose digest,
 * or whose record's commitment, the list holds is REVOKED or SUPERSEDED with no network; otherwise the verdict stays
 * and its reason says how old the list is. Either way the reason names the list's ledger height and block time, for
 * the inspector to judge: a revocation after the last sync cannot be seen offline.
 *
 * <pre>{@code
 * CardCheck check = CardRevocations.apply(verifier.verify(text, today), RevocationList.readStored(bytes));
 * }</pre>
 */
public final class CardRevocations {
    private CardRevocations() {}

    /**
     * @param offline the result of {@link CardVerifier#verify}
     * @param list a revocation list read with {@link RevocationList#read} (or kept after that)
     * @return the check with the list's verdict; a check that is not genuine is returned unchanged
     */
    public static CardCheck apply(CardCheck offline, RevocationList list) {
        Objects.requireNonNull(list, "list");
        if (!offline.genuine()) {
            return offline;
        }
        String age = age(list);
        for (boolean card : new boolean[] {true, false}) {
            byte[] commitment = card ? offline.digest() : offline.card().commitment();
            RevocationList.Status status = list.statusOf(commitment);
            if (status != null) {
                String what = card ? "the card" : "the record";
                return offline.offline(
                        status == RevocationList.Status.REVOKED ? Verdict.REVOKED : Verdict.SUPERSEDED,
                        what + " is " + (status == RevocationList.Status.REVOKED ? "revoked" : "superseded")
                                + " on the " + age);
            }
        }
        return offline.offline(offline.verdict(), offline.reason() + "; not on the " + age);
    }

    /**
     * The same for a worker's safety card: a module whose record the list holds is {@code REVOKED} or {@code
     * SUPERSEDED}; the others keep their status by date. The card's verdict stays (an inspector reads each module), and
     * its reason names the list.
     *
     * @param offline the result of {@link WorkerCardVerifier#verify}
     * @param list a revocation list read with {@link RevocationList#read} (or kept after that)
     * @return the check with the list's statuses; a check that is not genuine is returned unchanged
     */
    public static WorkerCardCheck apply(WorkerCardCheck offline, RevocationList list) {
        Objects.requireNonNull(list, "list");
        if (!offline.genuine()) {
            return offline;
        }
        String age = age(list);
        List<WorkerCardCheck.ModuleCheck> modules =
                new ArrayList<>(offline.modules().size());
        for (WorkerCardCheck.ModuleCheck check : offline.modules()) {
            RevocationList.Status status = list.statusOf(check.module().commitmentPrefix());
            modules.add(
                    status == null
                            ? check
                            : new WorkerCardCheck.ModuleCheck(
                                    check.module(),
                                    status == RevocationList.Status.REVOKED
                                            ? WorkerCardCheck.Status.REVOKED
                                            : WorkerCardCheck.Status.SUPERSEDED,
                                    status.name().toLowerCase(Locale.ROOT) + " on the " + age));
        }
        return new WorkerCardCheck(
                offline.verdict(),
                WorkerCardVerifier.signedBy(offline.card()) + "; " + WorkerCardCheck.tally(modules)
                        + "; revocations as of the " + age,
                offline.card(),
                offline.key(),
                offline.digest(),
                false,
                modules);
    }

    private static String age(RevocationList list) {
        return "revocation list of ledger height " + list.height() + " (" + list.time() + ", version " + list.version()
                + ")";
    }
}
