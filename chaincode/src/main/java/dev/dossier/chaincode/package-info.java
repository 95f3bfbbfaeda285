/**
 * Dossier's Fabric Java contracts. {@link dev.dossier.chaincode.NotaryContract} anchors commitments (salted hashes of
 * training records and documents) and reports their status and history. Contracts here keep no instance state, mark
 * reads {@code EVALUATE}, report business errors as {@code ChaincodeException(message, ErrorCode.X.name())} and write
 * JSON with sorted keys, so that every endorsing node produces the same bytes.
 */
package dev.dossier.chaincode;
