/**
 * RFC 9162 (Certificate Transparency v2) Merkle trees over SHA-256: leaf and node hashing with the 0x00 / 0x01
 * domain-separation prefixes, tree heads, and verification of inclusion and consistency proofs. JDK only, so the
 * node, the client and offline verifiers share one implementation.
 */
package dev.dossier.common.merkle;
