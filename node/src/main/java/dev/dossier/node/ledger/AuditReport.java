package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * The outcome of {@link LedgerAudit#audit}.
 *
 * @param blocksChecked blocks examined, including the bad one when there is one
 * @param transactions transactions examined
 * @param firstBadBlock the first block found inconsistent; empty when the ledger is clean or when the problem cannot
 *     be pinned to a block (for example a tampered world-state entry)
 * @param problem what is wrong, e.g. {@code "block 3: data hash mismatch: stored 1f… computed 9a…"}; empty when
 *     clean
 * @throws NullPointerException if {@code firstBadBlock} or {@code problem} is null
 */
public record AuditReport(long blocksChecked, long transactions, OptionalLong firstBadBlock, String problem) {
    public AuditReport {
        requireNonNull(firstBadBlock, "firstBadBlock");
        requireNonNull(problem, "problem");
    }

    /** @return true when no problem was found */
    public boolean clean() {
        return problem.isEmpty();
    }
}
