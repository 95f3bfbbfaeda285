package dev.dossier.node.ledger;

import java.time.Instant;

/**
 * One committed modification of a key: the block and transaction that made it, its timestamp (from the transaction's
 * channel header), whether it was a delete, and the value written (empty for a delete). The value array is not copied:
 * callers must not modify it.
 */
public record HistoryEntry(long block, String txId, Instant timestamp, boolean delete, byte[] value) {}
