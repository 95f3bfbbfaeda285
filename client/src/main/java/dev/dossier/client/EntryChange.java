package dev.dossier.client;

/**
 * One committed change of an entry, as the contract's {@code history} reports it: anchoring, revocation, supersession.
 *
 * @param txId the transaction that made it
 * @param timestamp its time (ISO-8601), or null
 * @param deleted true if the change deleted the entry (the contract never does)
 * @param entry the entry after the change, null if deleted
 */
public record EntryChange(String txId, String timestamp, boolean deleted, LedgerEntry entry) {}
