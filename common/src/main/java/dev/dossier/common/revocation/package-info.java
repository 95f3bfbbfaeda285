/**
 * The signed offline revocation list: the 8-byte prefixes of the commitments the ledger holds as revoked or superseded
 * (records and inspector's cards), with the ledger height, block time and version it reflects, signed by a consortium
 * node as a C2SP signed note, and deltas since a version. Read, checked and merged with the JDK alone, so a verifier
 * offline can still see a revocation made before its last sync (docs/card.md).
 */
package dev.dossier.common.revocation;
