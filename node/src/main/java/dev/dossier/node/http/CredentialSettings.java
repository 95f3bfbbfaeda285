package dev.dossier.node.http;

import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.ProofSigner;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.EcdsaSignature;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.node.credential.ControllerDocuments;
import dev.dossier.node.credential.StatusLists;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.revocation.RevocationIndex;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a node needs to serve Verifiable Credentials: its signing identity (the checkpoint key, which signs the status
 * lists under the node's {@code did:web}), its name in the trust file (the key's fragment), and the organisations'
 * credential keys in force (the consortium's, or those of {@code credential-keys.txt}).
 */
public final class CredentialSettings {
    private final Signer signer;
    private final String nodeName;
    private final Supplier<List<CredentialKey>> organisationKeys;
    private final Clock clock;

    /** @param organisationKeys the organisations' credential keys in force, asked at each request */
    public CredentialSettings(
            Signer signer, String nodeName, Supplier<List<CredentialKey>> organisationKeys, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.organisationKeys = Objects.requireNonNull(organisationKeys, "organisationKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    CredentialRoutes routes(String baseUrl, RevocationIndex revocations, CommitmentLog log) {
        VerificationKey nodeKey;
        try {
            nodeKey = new VerificationKey.P256(P256PublicKey.fromCertificate(signer.certificate()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("the node's certificate has no P-256 key: " + e.getMessage(), e);
        }
        ControllerDocuments documents = new ControllerDocuments(baseUrl, nodeName, nodeKey, organisationKeys);
        ProofSigner proofSigner = new ProofSigner(
                dev.dossier.credential.DataIntegrity.ECDSA_RDFC_2019, documents.nodeMethod(), nodeKey, hashData -> {
                    try {
                        return EcdsaSignature.fromDer(signer.sign(hashData)).toFixed();
                    } catch (SignatureException e) {
                        throw new IllegalStateException("the node's own signature does not decode", e);
                    }
                });
        StatusLists lists = new StatusLists(revocations, log, proofSigner, documents.nodeDid(), baseUrl, clock);
        return new CredentialRoutes(documents, lists);
    }
}
