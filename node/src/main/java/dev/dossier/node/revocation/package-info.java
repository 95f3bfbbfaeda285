/**
 * The node's revocation list: which commitments the ledger holds as revoked or superseded, kept incrementally from
 * the committed blocks in its own RocksDB ({@link dev.dossier.node.revocation.RevocationIndex}), served signed at
 * {@code GET /v1/revocations} for verifiers offline ({@link dev.dossier.common.revocation.RevocationList}).
 */
package dev.dossier.node.revocation;
