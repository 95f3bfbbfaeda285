package dev.dossier.client;

import dev.dossier.client.digest.Commitment;
import dev.dossier.common.verdict.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a verification: the verdict, the reason in words, the commitment that was checked and, when the
 * ledger has it, its entry (the facts: issuer, anchoring time, validity, revocation). Immutable.
 *
 * <pre>{@code
 * dossier.verify(commitment).requireValid();   // throws VerificationException unless VALID
 * }</pre>
 *
 * @param status the verdict
 * @param reason why, for a person
 * @param commitment the commitment checked (for {@link Verdict#TAMPERED}, the one the document hashes to)
 * @param entry the ledger's entry, or null if none was read
 * @param includedAsOf for a verdict from a receipt, the time of the cosigned checkpoint it rests on: the entry's status
 *     is known as of then, not now; null for a verdict read from the ledger now
 */
public record Verification(
        Verdict status, String reason, Commitment commitment, LedgerEntry entry, Instant includedAsOf) {
    public Verification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(commitment, "commitment");
    }

    /** A verdict read from the ledger now. */
    public Verification(Verdict status, String reason, Commitment commitment, LedgerEntry entry) {
        this(status, reason, commitment, entry, null);
    }

    /** @return the time of the checkpoint a verdict from a receipt rests on, if it came from one */
    public Optional<Instant> asOf() {
        return Optional.ofNullable(includedAsOf);
    }

    /** @return the ledger entry, if the commitment is anchored */
    public Optional<LedgerEntry> ledgerEntry() {
        return Optional.ofNullable(entry);
    }

    /**
     * @throws VerificationException unless the verdict is {@link Verdict#VALID}
     */
    public void requireValid() throws VerificationException {
        if (status != Verdict.VALID) {
            throw new VerificationException(this);
        }
    }

    /** The verdict on an entry read from the ledger, as of {@code today}. */
    static Verification of(Commitment commitment, LedgerEntry entry, LocalDate today) {
        if (entry == null) {
            return new Verification(
                    Verdict.NOT_FOUND, "no entry for " + commitment + " on the ledger", commitment, null);
        }
        String issuer = entry.mspId() + (entry.issuer() == null ? "" : " (" + entry.issuer() + ")");
        switch (entry.status()) {
            case "revoked":
                return new Verification(
                        Verdict.REVOKED,
                        "revoked by " + issuer
                                + (entry.reason() == null ? "" : ", reason " + entry.reason())
                                + (entry.revokedAt() == null ? "" : ", at " + entry.revokedAt()),
                        commitment,
                        entry);
            case "superseded":
                return new Verification(
                        Verdict.SUPERSEDED,
                        "superseded by " + (entry.supersededBy() == null ? "a newer version" : entry.supersededBy()),
                        commitment,
                        entry);
            case "pending", "rejected":
                return draft(commitment, entry);
            default:
                break;
        }
        if (!"active".equals(entry.status())) {
            return new Verification(
                    Verdict.NOT_FOUND,
                    "the entry of " + commitment + " has the unknown status " + entry.status(),
                    commitment,
                    entry);
        }
        if (entry.validUntil() != null && entry.validUntil().isBefore(today)) {
            return new Verification(
                    Verdict.EXPIRED,
                    "anchored by " + issuer + " at " + entry.anchoredAt() + ", valid until " + entry.validUntil()
                            + ": expired",
                    commitment,
                    entry);
        }
        return new Verification(
                Verdict.VALID,
                "anchored by " + issuer + " at " + entry.anchoredAt()
                        + (entry.validUntil() == null ? ", no expiry" : ", valid until " + entry.validUntil()),
                commitment,
                entry);
    }

    /** A draft's verdict: PENDING until its issuer validates it, or REJECTED with the reason; never VALID. */
    private static Verification draft(Commitment commitment, LedgerEntry entry) {
        dev.dossier.common.entry.LedgerEntry draft = entry.shared();
        String what = "drafted by " + draft.draftedBy() + " for " + entry.mspId() + " (project " + draft.project()
                + ", module " + draft.module() + ") at " + entry.anchoredAt();
        if ("rejected".equals(entry.status())) {
            return new Verification(
                    Verdict.REJECTED,
                    what + ", rejected by " + entry.mspId() + " at " + draft.rejectedAt() + ", reason "
                            + draft.rejectionReason(),
                    commitment,
                    entry);
        }
        return new Verification(
                Verdict.PENDING,
                what + ", pending validation by " + entry.mspId() + ": not valid until then",
                commitment,
                entry);
    }

    /**
     * The verdict on an entry proven by a receipt as of a checkpoint: VALID or EXPIRED by its validity as anchored,
     * with what could not be checked offline in the reason.
     */
    public static Verification asOf(
            Commitment commitment, LedgerEntry anchored, Instant checkpointTime, LocalDate today) {
        Verification v = of(commitment, anchored, today);
        return new Verification(
                v.status(),
                v.reason() + "; in the ledger as of " + checkpointTime
                        + " (revocation not checked offline: status as of " + checkpointTime + ")",
                commitment,
                anchored,
                checkpointTime);
    }

    /** A receipt or certificate that fails a check: TAMPERED, saying which. */
    public static Verification tampered(Commitment commitment, String reason) {
        return new Verification(Verdict.TAMPERED, reason, commitment, null);
    }

    /** A document that hashes to {@code computed} where {@code claimed} was expected: TAMPERED. */
    public static Verification tampered(Commitment computed, Commitment claimed) {
        return new Verification(
                Verdict.TAMPERED,
                "the document hashes to " + computed + " but its receipt claims " + claimed
                        + ": it was altered, or the salt is not its own",
                computed,
                null);
    }
}
