package dev.dossier.node.ledger;

/**
 * A state change that a valid transaction of the block being committed made, not yet written: the key's new value,
 * or null for a delete, at version (block, {@code txNumber}).
 */
record StateUpdate(long txNumber, byte[] value) {}
