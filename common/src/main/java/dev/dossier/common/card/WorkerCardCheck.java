package dev.dossier.common.card;

import dev.dossier.common.verdict.Verdict;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of checking a worker's safety card: the card's verdict and reason ({@code VALID} for a genuine card,
 * {@code TAMPERED}, {@code UNKNOWN_SIGNER}, or online {@code NOT_FOUND} when a module's record is not the signer's
 * entry) and, for a genuine card, its facts and each module's own status.
 *
 * @param verdict the card's verdict
 * @param reason one sentence saying why, for the inspector
 * @param card the facts, or null when they are not to be shown
 * @param key the listed key that signed it, or null
 * @param digest SHA-256 of the card's COSE bytes as 64 lowercase hex digits, or null if it did not decode
 * @param online whether the ledger was asked (false: signature, trust file and dates only)
 * @param modules each module's status, in the card's order; empty unless genuine
 */
public record WorkerCardCheck(
        Verdict verdict,
        String reason,
        WorkerCard card,
        CardKey key,
        String digest,
        boolean online,
        List<ModuleCheck> modules) {
    /** What an inspector is told of one module. */
    public enum Status {
        /** In its validity, and more than {@value WorkerCardVerifier#EXPIRING_DAYS} days from its end. */
        VALID,
        /** In its validity, which ends within {@value WorkerCardVerifier#EXPIRING_DAYS} days. */
        EXPIRING,
        /** Past its valid-until date: the training must be refreshed. */
        EXPIRED,
        /** Its record was revoked on the ledger. */
        REVOKED,
        /** Its record was superseded by a corrected one: the card is out of date. */
        SUPERSEDED,
        /** The ledger holds no entry with the module's commitment prefix. */
        NOT_FOUND,
        /** The entry is another organisation's: the signer listed a record it did not anchor. */
        REFUSED
    }

    /**
     * One module's status.
     *
     * @param module the module as the card lists it
     * @param status its status
     * @param reason one sentence saying why
     */
    public record ModuleCheck(WorkerCard.Module module, Status status, String reason) {
        public ModuleCheck {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public WorkerCardCheck {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        modules = List.copyOf(modules);
    }

    /** @return whether the signature verified against a listed key: the facts are the signer's */
    public boolean genuine() {
        return card != null;
    }

    /** @return how many modules have each status, in the order of {@link Status}, e.g. "6 valid, 1 expired" */
    public String tally() {
        return tally(modules);
    }

    static String tally(List<ModuleCheck> modules) {
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (ModuleCheck module : modules) {
            counts.merge(module.status(), 1L, Long::sum);
        }
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " "
                        + e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }
}
