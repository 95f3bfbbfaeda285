/**
 * Backups of a running node and restoring a node from one: {@link dev.dossier.node.backup.NodeBackup} copies the
 * ledger, the commitment log and the revocation index (RocksDB checkpoints) while the node commits, {@link
 * dev.dossier.node.backup.AdminSocket} is the node's local-only door through which {@code dossier backup} asks for one,
 * and {@link dev.dossier.node.backup.Restore} puts a backup in a new data directory and checks it.
 */
package dev.dossier.node.backup;
