/**
 * Identities of a Fabric-compatible consortium: membership service providers ({@link dev.dossier.node.identity.Msp}),
 * validation of the serialized identities that clients and nodes present ({@link
 * dev.dossier.node.identity.IdentityValidator}), ECDSA P-256 signature verification as a Fabric peer performs it
 * ({@link dev.dossier.node.identity.Identity#verify}) and the node's own signing identity ({@link
 * dev.dossier.node.identity.Signer}).
 *
 * <p>Only ECDSA on NIST P-256 with SHA-256 is accepted for identities and their signatures, with signatures in strict
 * DER and low-S form, as Fabric requires. The arithmetic uses BouncyCastle's lightweight API, which is several times
 * faster than the JDK provider.
 */
package dev.dossier.node.identity;
