/**
 * Bulk anchoring: {@link dev.dossier.client.bulk.BulkAnchorer} streams a CSV or JSON Lines file, validates and commits
 * each row, anchors them in {@code anchorBatch} transactions with several in flight, and writes a receipt per record,
 * an error report ({@code line,record_id,field,reason}) and a journal to resume from after a crash. Settings in
 * {@link dev.dossier.client.bulk.BulkOptions}, progress to a {@link dev.dossier.client.bulk.BulkListener}, the result
 * in a {@link dev.dossier.client.bulk.BulkReport}; {@link dev.dossier.client.bulk.Anchoring} turns one record into a
 * ledger entry and reads the contract's {@link dev.dossier.client.bulk.Outcome} for it; with cards,
 * {@link dev.dossier.client.bulk.BulkCards} signs each record's inspector's card and anchors it in its record's
 * transaction. Library users reach it through
 * {@code Dossier.anchorAll}. Talks to the ledger only through {@code dev.dossier.client.transport.Notary}.
 */
package dev.dossier.client.bulk;
