/**
 * The node's ledger: Fabric-format blocks, versioned world state, key history and the transaction index, kept in
 * one RocksDB database with one column family per concern.
 *
 * <p>{@link dev.dossier.node.ledger.Ledger} is the entry point: it validates a batch of ordered transactions
 * (duplicate transaction ids, MVCC read versions, phantom reads), builds the next Fabric block with its header hash
 * chain and transactions filter, and stores block, state, history and index in a single synced write, so a crash
 * leaves either the whole block or nothing. {@link dev.dossier.node.ledger.LedgerAudit} re-derives everything from
 * the blocks of a stopped node and reports the first inconsistency.
 */
package dev.dossier.node.ledger;
