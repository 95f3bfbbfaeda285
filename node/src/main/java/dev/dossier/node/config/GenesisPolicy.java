package dev.dossier.node.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import dev.dossier.node.identity.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The channel's first role policy and the founding organisations' signatures of it: what the genesis block fixes so
 * that governance is by majority from the first block and no first caller can take it.
 *
 * <p>{@code dossier network init} writes the policy document ({@value #POLICY_FILE}, listing the consortium's MSP ids
 * as its organisations) and {@value #SIGNATURES_FILE}: one signature per organisation, made by its {@code Admin}
 * (an operator) over the exact bytes of the document:
 *
 * <pre>{@code
 * {"signatures":[{"mspId":"Org1MSP","signer":"<base64 msp.SerializedIdentity>","signature":"<base64 DER ECDSA>"}]}
 * }</pre>
 *
 * A node that creates the genesis block first {@link #verify verifies} that every organisation of the consortium,
 * and no other, signed the document with an operator identity valid now, and that the document lists exactly those
 * organisations; the genesis config then carries the document as the notary's initial state and the signatures as
 * evidence. In a consortium whose members generate their identities apart, each founding organisation's operator adds
 * its signature to the file before the first node starts. Immutable; byte arrays are copied in and out.
 */
public final class GenesisPolicy {
    /** The policy document, in the network directory. */
    public static final String POLICY_FILE = "policy.json";
    /** The founding organisations' signatures of it, in the network directory. */
    public static final String SIGNATURES_FILE = "policy.signatures.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR_ROLE = "operator";

    /** One organisation's signature of the document. */
    public record Signature(String mspId, ByteString signer, ByteString signature) {
        public Signature {
            requireNonNull(mspId, "mspId");
            requireNonNull(signer, "signer");
            requireNonNull(signature, "signature");
        }
    }

    private final byte[] document;
    private final List<Signature> signatures;

    public GenesisPolicy(byte[] document, List<Signature> signatures) {
        this.document = requireNonNull(document, "document").clone();
        this.signatures = List.copyOf(signatures);
    }

    /** @return the policy document signed by each of {@code operators} */
    public static GenesisPolicy sign(byte[] document, Collection<Signer> operators) {
        List<Signature> signatures = new ArrayList<>();
        for (Signer operator : operators) {
            signatures.add(new Signature(
                    operator.mspId(), operator.serializedIdentity(), ByteString.copyFrom(operator.sign(document))));
        }
        return new GenesisPolicy(document, signatures);
    }

    /**
     * @return the policy and signatures of a network directory, or empty if it has no {@value #POLICY_FILE}
     * @throws IOException if a file cannot be read or the signatures file is malformed or missing
     */
    public static Optional<GenesisPolicy> load(Path networkDirectory) throws IOException {
        Path policy = networkDirectory.resolve(POLICY_FILE);
        if (!Files.isRegularFile(policy)) {
            return Optional.empty();
        }
        Path signaturesFile = networkDirectory.resolve(SIGNATURES_FILE);
        if (!Files.isRegularFile(signaturesFile)) {
            throw new IOException(signaturesFile + " is missing: every founding organisation signs " + policy);
        }
        List<Signature> signatures = new ArrayList<>();
        try {
            for (JsonNode entry : JSON.readTree(signaturesFile.toFile()).path("signatures")) {
                signatures.add(new Signature(
                        entry.get("mspId").asText(),
                        ByteString.copyFrom(
                                Base64.getDecoder().decode(entry.get("signer").asText())),
                        ByteString.copyFrom(Base64.getDecoder()
                                .decode(entry.get("signature").asText()))));
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(signaturesFile + " is malformed: " + e.getMessage(), e);
        }
        return Optional.of(new GenesisPolicy(Files.readAllBytes(policy), signatures));
    }

    /** Writes {@value #POLICY_FILE} and {@value #SIGNATURES_FILE} into {@code networkDirectory}. */
    public void write(Path networkDirectory) throws IOException {
        Files.write(networkDirectory.resolve(POLICY_FILE), document);
        Files.write(networkDirectory.resolve(SIGNATURES_FILE), signaturesJson());
    }

    /** @return the signatures in the {@value #SIGNATURES_FILE} form; the same signatures give the same bytes */
    public byte[] signaturesJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("signatures");
        for (Signature signature : signatures) {
            list.addObject()
                    .put("mspId", signature.mspId())
                    .put(
                            "signer",
                            Base64.getEncoder()
                                    .encodeToString(signature.signer().toByteArray()))
                    .put(
                            "signature",
                            Base64.getEncoder()
                                    .encodeToString(signature.signature().toByteArray()));
        }
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("a JSON tree of strings always serialises", e);
        }
    }

    /** @return a copy of the policy document's bytes */
    public byte[] document() {
        return document.clone();
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /**
     * Checks that the document lists exactly {@code organisations} and that each of them, and nobody else, signed it
     * with a valid operator identity of its own.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public void verify(IdentityValidator identities, Collection<String> organisations, Instant at) {
        Set<String> expected = new TreeSet<>(organisations);
        Set<String> listed = new TreeSet<>();
        try {
            for (JsonNode msp : JSON.readTree(document).path("organisations")) {
                listed.add(msp.asText());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(POLICY_FILE + " is not JSON: " + e.getMessage(), e);
        }
        if (!listed.equals(expected)) {
            throw new IllegalArgumentException(
                    POLICY_FILE + " lists organisations " + listed + " but the consortium is " + expected);
        }
        Set<String> signed = new TreeSet<>();
        for (Signature signature : signatures) {
            Identity signer;
            try {
                signer = identities.validate(signature.signer(), at);
                signer.verify(document, signature.signature().toByteArray());
            } catch (IdentityException | SignatureException e) {
                throw new IllegalArgumentException(
                        "signature of " + POLICY_FILE + " by " + signature.mspId() + " is not valid: " + e.getMessage(),
                        e);
            }
            if (!signer.mspId().equals(signature.mspId())
                    || !OPERATOR_ROLE.equals(signer.attributes().get("dossier.role"))) {
                throw new IllegalArgumentException("signature of " + POLICY_FILE + " for " + signature.mspId()
                        + " is not by an operator of " + signature.mspId() + " (" + signer + ")");
            }
            signed.add(signer.mspId());
        }
        if (!signed.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(signed);
            throw new IllegalArgumentException(POLICY_FILE + " must be signed by every founding organisation; missing: "
                    + missing + (signed.containsAll(expected) ? ", and signed by others: " + signed : ""));
        }
    }
}
