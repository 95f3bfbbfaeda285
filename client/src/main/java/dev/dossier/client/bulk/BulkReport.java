package dev.dossier.client.bulk;

import java.time.Duration;

/**
 * What a bulk upload ({@code Dossier.anchorAll}, {@link BulkAnchorer}) did.
 *
 * @param rows rows read
 * @param refusedRows rows refused by validation (listed in the error report)
 * @param anchored commitments newly anchored by this run
 * @param alreadyAnchored commitments the ledger already had from the same organisation (a re-run or resumed run)
 * @param refusedOnChain commitments the contract refused ({@link Outcome#CONFLICT}, {@link Outcome#REFUSED})
 * @param resumedRows rows of batches found committed in the journal of an earlier run, not submitted again
 * @param batches transactions committed by this run
 * @param resumedBatches batches found in the journal
 * @param superseded of {@code anchored}, the corrections whose earlier entry this run superseded
 * @param cards card files written by this run ({@link BulkOptions#cards}): of records it anchored, and of journaled
 *     batches whose card file a crash had lost
 * @param elapsed wall time of the run, including the first pass over the file
 */
public record BulkReport(
        long rows,
        long refusedRows,
        long anchored,
        long alreadyAnchored,
        long refusedOnChain,
        long resumedRows,
        long batches,
        long resumedBatches,
        long superseded,
        long cards,
        Duration elapsed) {

    /** @return rows whose commitment is durably on the ledger after this run (this run's and resumed ones) */
    public long durable() {
        return anchored + alreadyAnchored + resumedRows;
    }

    /** @return commitments committed by this run's transactions per second of the run */
    public double committedPerSecond() {
        double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
        return (anchored + alreadyAnchored + refusedOnChain) / seconds;
    }
}
