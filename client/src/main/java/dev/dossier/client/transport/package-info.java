/**
 * The way to a node: {@link dev.dossier.client.transport.Connections} opens gRPC channels (plaintext or mutual TLS) and
 * fabric-gateway connections from a user's MSP folder; {@link dev.dossier.client.transport.Notary} is the notary
 * contract's transactions and queries over such a connection, failing with
 * {@link dev.dossier.client.transport.DossierException}; {@link dev.dossier.client.transport.NodeApi} is a node's HTTP
 * API (receipts, consistency proofs, the trust file); {@link dev.dossier.client.transport.CheckpointMemory} keeps the
 * latest checkpoint accepted of each log, to detect a split view.
 */
package dev.dossier.client.transport;
