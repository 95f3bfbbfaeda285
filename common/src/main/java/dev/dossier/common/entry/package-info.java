/**
 * The notary contract's on-chain entry: one type that the chaincode writes and reads, and the node and the client
 * read. Golden vectors: {@code common/src/test/resources/vectors/ledger-entry-v1.json}, which the verify page's
 * {@code receipt.mjs} is tested against too.
 */
package dev.dossier.common.entry;
