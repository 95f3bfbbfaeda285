/**
 * Ordering: turning validated transactions into blocks. {@link dev.dossier.node.ordering.SoloOrderer} cuts blocks on a
 * single node; {@link dev.dossier.node.ordering.RaftOrderer} orders batches through Apache Ratis among several nodes,
 * each of which applies the Raft log to its ledger deterministically ({@code LedgerStateMachine}), signs the blocks it
 * commits ({@link dev.dossier.node.ordering.BlockSignatures}), serves its blocks over Fabric's Deliver service
 * ({@link dev.dossier.node.ordering.BlockDeliveryService}) and, when far behind, fetches the blocks it misses from the
 * leader ({@link dev.dossier.node.ordering.BlockPuller}). Every Raft entry is judged by the same deterministic rules on
 * every node before it becomes a block ({@code OrderingRules}), and Raft over TLS accepts the consortium's nodes only
 * ({@link dev.dossier.node.identity.TlsTrust#nodes}, following the consortium in force).
 */
package dev.dossier.node.ordering;
