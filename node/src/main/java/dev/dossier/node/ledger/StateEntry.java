package dev.dossier.node.ledger;

/** One key of a range scan over committed world state, with its versioned value. */
public record StateEntry(String key, VersionedValue value) {}
