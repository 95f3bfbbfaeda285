/**
 * The commitment log: an RFC 9162 Merkle log of every valid anchored commitment, in block order, derived from blocks
 * only, so anyone replaying the blocks (from a Dossier node or a Fabric peer) computes the same roots. It serves the
 * tree heads and the inclusion and consistency proofs that receipts carry.
 */
package dev.dossier.node.log;
