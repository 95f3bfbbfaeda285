package dev.dossier.client.credential;

import dev.dossier.client.digest.Canonical;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.ProofSigner;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An organisation's signer of Open Badges 3.0 credentials: its Ed25519 credential key, as {@code credential-keys.txt}
 * lists it, and its {@code did:web} ({@code did:web:<node host>%3A<port>:<MSP id>}, served by every node). Signs with
 * a Data Integrity proof {@code eddsa-rdfc-2022}, and gives each credential's digest, the commitment anchored for it:
 *
 * <pre>
 * digest = Commitments.document(32 zero bytes, JCS(signed credential))
 * </pre>
 *
 * The salt is zero because a verifier holding only the credential must recompute the digest; a signed credential
 * already holds a random id and a 64-byte signature, so its digest cannot be guessed. Thread-safe.
 */
public final class CredentialIssuer {
    private static final byte[] ZERO_SALT = new byte[32];

    private final Ed25519PrivateKey key;
    private final CredentialKey listed;
    private final String did;
    private final ProofSigner signer;

    /**
     * @param key the private key
     * @param listed the organisation's keys as {@code credential-keys.txt} lists them: one must be {@code key}'s
     * @param nodeHost the host and port of a node's HTTP API ({@code localhost:9051}), which makes the DID
     * @throws IllegalArgumentException if the key is not listed
     */
    public static CredentialIssuer listed(Ed25519PrivateKey key, List<CredentialKey> listed, String nodeHost) {
        VerificationKey.Ed25519 publicKey = new VerificationKey.Ed25519(key.publicKey());
        CredentialKey entry = listed.stream()
                .filter(k -> k.key().equals(publicKey))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the credential key is not listed in credential-keys.txt: its public key is "
                                + publicKey.multibase()));
        return new CredentialIssuer(key, entry, nodeHost);
    }

    private CredentialIssuer(Ed25519PrivateKey key, CredentialKey listed, String nodeHost) {
        this.key = Objects.requireNonNull(key, "key");
        this.listed = Objects.requireNonNull(listed, "listed");
        this.did = "did:web:" + nodeHost.replace(":", "%3A") + ":" + listed.organisation();
        this.signer = ProofSigner.eddsa(key, did + "#" + listed.fragment());
    }

    /** @return the issuing organisation's DID */
    public String did() {
        return did;
    }

    /** @return the issuing organisation's MSP id */
    public String organisation() {
        return listed.organisation();
    }

    /**
     * Builds and signs the credential of a record.
     *
     * @throws IllegalStateException if the key may not sign on {@code now}'s day
     */
    public IssuedCredential issue(
            TrainingRecord record, Commitment recordCommitment, OpenBadges.StatusPosition status, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!listed.validOn(today)) {
            throw new IllegalStateException("credential key " + listed.keyIdHex() + " may sign from "
                    + listed.validFrom() + " to " + listed.validTo() + ", not on " + today);
        }
        JsonObject unsigned =
                OpenBadges.credential(record, recordCommitment, did, listed.organisation(), status, UUID.randomUUID());
        JsonObject signed = DataIntegrity.sign(unsigned, signer, now, Contexts.bundled());
        String json = signed.toString();
        return new IssuedCredential(
                record.recordId(), record.version(), json, digest(json), recordCommitment, status, record.validUntil());
    }

    /** @return a credential's digest: the document commitment of its JCS form with a zero salt */
    public static Commitment digest(String credentialJson) {
        return Commitments.document(ZERO_SALT, Canonical.jcs(credentialJson));
    }

    /** @return the private key's public half, for tests and diagnostics */
    public VerificationKey publicKey() {
        return new VerificationKey.Ed25519(key.publicKey());
    }
}
