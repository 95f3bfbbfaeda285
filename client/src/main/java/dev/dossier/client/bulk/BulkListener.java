package dev.dossier.client.bulk;

/** Told of bulk anchoring's progress; called from several threads. */
@FunctionalInterface
public interface BulkListener {
    /** A listener that ignores everything. */
    BulkListener NONE = (rows, batch) -> {};

    /** Called once, after the first pass over the file, with its number of rows. */
    default void started(long totalRows) {}

    /**
     * @param rows how many more rows are finished: refused by validation, or in a batch that is now durably committed
     *     (or was found committed in the journal)
     * @param batchDone true if the rows are a committed batch
     */
    void rowsDone(long rows, boolean batchDone);
}
