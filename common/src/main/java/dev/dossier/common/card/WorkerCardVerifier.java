package dev.dossier.common.card;

import dev.dossier.common.card.WorkerCardCheck.ModuleCheck;
import dev.dossier.common.card.WorkerCardCheck.Status;
import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.verdict.Verdict;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Checks workers' safety cards ({@link WorkerCard}) with the same keys and the same signature checks as record cards
 * ({@link CardVerifier}), offline ({@link #verify}: the signature and each module's dates) then against the ledger
 * ({@link #withLedger}: each module's entry, found by its commitment prefix). Never throws on a bad card.
 *
 * <pre>{@code
 * WorkerCardCheck check = new WorkerCardVerifier(trust.cardKeys()).verify(scannedText, LocalDate.now());
 * List<LedgerEntry> entries = ...;   // GET /v1/status/<prefix> of each module, null when not anchored
 * check = WorkerCardVerifier.withLedger(check, entries);
 * }</pre>
 */
public final class WorkerCardVerifier {
    /** A module whose validity ends within this many days is {@link Status#EXPIRING}. */
    public static final int EXPIRING_DAYS = 60;

    private final CardVerifier keys;

    /**
     * @param keys the trusted card keys (the same as for record cards)
     * @throws IllegalArgumentException if two keys share a key id
     */
    public WorkerCardVerifier(List<CardKey> keys) {
        this.keys = new CardVerifier(keys);
    }

    /**
     * Checks a worker's card offline: signature, trust file, each module's dates on {@code today}.
     *
     * @param text the card's text as scanned ({@code DW1:...}); surrounding white space is ignored
     * @param today the inspector's date
     * @return {@code VALID} with each module's status for a genuine card, else {@code TAMPERED} or {@code
     *     UNKNOWN_SIGNER} and no facts
     */
    public WorkerCardCheck verify(String text, LocalDate today) {
        Objects.requireNonNull(today, "today");
        CardVerifier.Opened opened = keys.open(text, WorkerCard.PREFIX);
        String digest = opened.digest() == null ? null : HexFormat.of().formatHex(opened.digest());
        if (opened.failure() != null) {
            return refused(opened.failure(), opened.reason(), opened.key(), digest);
        }
        WorkerCard card;
        try {
            card = WorkerCard.fromClaims(Cbor.decode(opened.payload()));
        } catch (Cbor.CborException | IllegalArgumentException e) {
            return refused(
                    Verdict.TAMPERED, "signed, but not a worker's card: " + e.getMessage(), opened.key(), digest);
        }
        String signer = CardVerifier.signerProblem(opened.key(), card.issuer(), card.issuedAt());
        if (signer != null) {
            return refused(Verdict.UNKNOWN_SIGNER, signer, opened.key(), digest);
        }
        List<ModuleCheck> modules = new ArrayList<>(card.modules().size());
        for (WorkerCard.Module module : card.modules()) {
            modules.add(byDate(module, today));
        }
        return new WorkerCardCheck(
                Verdict.VALID,
                signedBy(card) + "; " + WorkerCardCheck.tally(modules),
                card,
                opened.key(),
                digest,
                false,
                modules);
    }

    /** @return the first part of a genuine card's offline reason: who signed it, on which day */
    static String signedBy(WorkerCard card) {
        return "genuine, signed by " + card.issuer() + " on " + LocalDate.ofInstant(card.issuedAt(), ZoneOffset.UTC);
    }

    /**
     * Adds the ledger's entries of the modules to an offline check of a genuine card: each module's record must be
     * anchored by the card's signer (else the module is {@code NOT_FOUND} or {@code REFUSED}, and the card {@code
     * NOT_FOUND}); a revoked or superseded record makes its module {@code REVOKED} or {@code SUPERSEDED}; an active
     * one keeps its status by date. A check that is not genuine is returned unchanged.
     *
     * @param offline the result of {@link #verify}
     * @param entries the entry found under each module's commitment prefix, in the card's order; null for none
     * @throws IllegalArgumentException if there is not one entry (or null) per module
     */
    public static WorkerCardCheck withLedger(WorkerCardCheck offline, List<LedgerEntry> entries) {
        if (!offline.genuine()) {
            return offline;
        }
        if (entries.size() != offline.modules().size()) {
            throw new IllegalArgumentException(
                    entries.size() + " ledger entries for " + offline.modules().size() + " modules");
        }
        String issuer = offline.card().issuer();
        List<ModuleCheck> modules = new ArrayList<>(entries.size());
        String unbound = null;
        for (int i = 0; i < entries.size(); i++) {
            ModuleCheck module = onLedger(offline.modules().get(i), entries.get(i), issuer);
            modules.add(module);
            if (unbound == null && (module.status() == Status.NOT_FOUND || module.status() == Status.REFUSED)) {
                unbound = "module " + (i + 1) + " (" + module.module().code() + "): " + module.reason();
            }
        }
        String reason = unbound != null
                ? "signed by " + issuer + ", but " + unbound + ": do not accept this card"
                : "genuine, signed by " + issuer + ", every module anchored by " + issuer + "; "
                        + WorkerCardCheck.tally(modules);
        return new WorkerCardCheck(
                unbound != null ? Verdict.NOT_FOUND : offline.verdict(),
                reason,
                offline.card(),
                offline.key(),
                offline.digest(),
                true,
                modules);
    }

    private static ModuleCheck onLedger(ModuleCheck offline, LedgerEntry entry, String issuer) {
        WorkerCard.Module module = offline.module();
        if (entry == null) {
            return new ModuleCheck(
                    module, Status.NOT_FOUND, "the ledger holds no entry with commitment prefix " + module.prefixHex());
        }
        if (!issuer.equals(entry.mspId())) {
            return new ModuleCheck(
                    module,
                    Status.REFUSED,
                    "its record is anchored by " + entry.mspId() + ", not by the card's signer " + issuer
                            + ": an organisation lists only records it anchored");
        }
        if (LedgerEntry.REVOKED.equals(entry.status())) {
            return new ModuleCheck(
                    module,
                    Status.REVOKED,
                    "revoked by " + issuer
                            + (entry.revocationReason() == null ? "" : " (" + entry.revocationReason() + ")"));
        }
        if (LedgerEntry.SUPERSEDED.equals(entry.status())) {
            return new ModuleCheck(
                    module,
                    Status.SUPERSEDED,
                    "superseded by a corrected record"
                            + (entry.supersededBy() == null ? "" : " (" + entry.supersededBy() + ")")
                            + ": ask for a new card");
        }
        return new ModuleCheck(module, offline.status(), offline.reason() + "; anchored, status active");
    }

    private static ModuleCheck byDate(WorkerCard.Module module, LocalDate today) {
        LocalDate until = module.validUntil();
        if (until == null) {
            return new ModuleCheck(module, Status.VALID, "no expiry");
        }
        if (today.isAfter(until)) {
            return new ModuleCheck(
                    module, Status.EXPIRED, "expired: valid only until " + until + ", the training must be refreshed");
        }
        long days = ChronoUnit.DAYS.between(today, until);
        if (days <= EXPIRING_DAYS) {
            return new ModuleCheck(
                    module, Status.EXPIRING, "valid until " + until + ", " + days + " days from today: refresh soon");
        }
        return new ModuleCheck(module, Status.VALID, "valid until " + until);
    }

    private static WorkerCardCheck refused(Verdict verdict, String reason, CardKey key, String digest) {
        return new WorkerCardCheck(verdict, reason, null, key, digest, false, List.of());
    }
}
