/**
 * Open Badges 3.0 credentials of training records ({@code docs/credentials.md}): the credential of a record with the
 * EU micro-credential elements ({@link OpenBadges}), signed by the issuing organisation's Ed25519 key ({@link
 * CredentialIssuer}), its digest anchored beside the record ({@link CredentialIssuance}), and the verdict on any
 * OB 3.0 credential, ours or another issuer's ({@link CredentialVerifier}).
 */
package dev.dossier.client.credential;
