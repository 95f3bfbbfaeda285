/**
 * Dossier's Fabric Java contracts. {@link dev.dossier.chaincode.NotaryContract} anchors commitments (salted hashes of
 * training records and documents), one at a time or in batches, revokes and supersedes them, and reports their status,
 * history and a subject's dossier, under the consortium's role policy ({@code Policy}, read from certificate
 * attributes by {@code Access}, stored and changed by {@code Governance}). Contracts here keep no instance state, mark
 * reads {@code EVALUATE}, report business errors as {@code ChaincodeException(message, ErrorCode.X.name())} and write
 * JSON with sorted keys, so that every endorsing node produces the same bytes.
 */
package dev.dossier.chaincode;
