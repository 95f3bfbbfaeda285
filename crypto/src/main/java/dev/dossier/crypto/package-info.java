/**
 * The project's one home for public-key cryptography, on BouncyCastle's optimised P-256 arithmetic: keys ({@link
 * dev.dossier.crypto.P256PrivateKey}, {@link dev.dossier.crypto.P256PublicKey}), ECDSA signatures in the form Fabric
 * requires ({@link dev.dossier.crypto.EcdsaSignature}: strict DER, low S), PEM and X.509 files ({@link
 * dev.dossier.crypto.Pem}, errors as {@link dev.dossier.crypto.PemException}), certificate issuance ({@link
 * dev.dossier.crypto.CertificateBuilder}) and the check of a CA's signature on a certificate ({@link
 * dev.dossier.crypto.EcIssuerKey}). Node, client and network generation go through it; nothing else signs,
 * verifies or parses keys.
 *
 * <p>Security guarantees: signatures are ECDSA P-256 over SHA-256 with deterministic nonces (RFC 6979) unless a random
 * source is asked for, always normalised to low S; verification accepts exactly one encoding per signature (strict
 * DER, {@code 1 <= r < n}, {@code 1 <= s <= n/2}) and returns normally only when the signature verifies. Private keys
 * never appear in {@code toString}.
 */
package dev.dossier.crypto;
