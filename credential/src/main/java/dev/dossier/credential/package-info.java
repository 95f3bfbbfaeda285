/**
 * W3C Verifiable Credentials 2.0 as Open Badges 3.0 need them: Data Integrity proofs ({@link DataIntegrity},
 * {@code eddsa-rdfc-2022} with Ed25519, {@code ecdsa-rdfc-2019} with P-256) over RDF Dataset Canonicalization, the
 * JSON-LD contexts bundled with Dossier ({@link Contexts}: nothing is fetched from the network), Bitstring Status
 * Lists ({@link StatusList}), multibase and multikey encodings ({@link Multikey}), and the verification of a
 * credential's proof, issuer key and dates ({@link CredentialCheck}).
 */
package dev.dossier.credential;
