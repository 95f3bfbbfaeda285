/**
 * Receipts: the proof, checkable offline, that a commitment is in a consortium's commitment log. A {@link
 * dev.dossier.common.receipt.Receipt} holds the leaf index, the RFC 9162 inclusion proof, the entry as anchored and a
 * checkpoint cosigned by the consortium's nodes; {@link dev.dossier.common.receipt.Receipt#verify} checks all of it
 * against a pinned {@link dev.dossier.common.note.TrustFile}.
 */
package dev.dossier.common.receipt;
