/**
 * Dossier's encoding contracts: RFC 8785 canonical JSON ({@link dev.dossier.client.digest.Canonical}), salts,
 * record and document commitments and subject pseudonyms ({@link dev.dossier.client.digest.Commitments}), the
 * {@link dev.dossier.client.digest.Commitment} value and the HMAC key files they are derived with
 * ({@link dev.dossier.client.digest.HmacKey}).
 */
package dev.dossier.client.digest;
