package dev.dossier.credential;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.JsonDocument;
import com.apicatalog.rdf.api.RdfConsumerException;
import com.apicatalog.rdf.canon.RdfCanon;
import com.apicatalog.rdf.nquads.NQuadsWriter;
import dev.dossier.common.hash.Sha256;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * W3C Data Integrity proofs ({@code DataIntegrityProof}) of the two RDF-canonicalising cryptosuites: {@code
 * eddsa-rdfc-2022} (Data Integrity EdDSA Cryptosuites v1.0, section 3.3) and {@code ecdsa-rdfc-2019} (ECDSA
 * Cryptosuites v1.0, with P-256). Both sign {@code hashData = SHA-256(RDFC-1.0(proof options)) || SHA-256(RDFC-1.0(
 * document without proof))}, the proof options carrying the document's {@code @context}; the proof value is the
 * signature in multibase base58btc. JSON-LD is expanded with the {@link Contexts} only, and a term the contexts do not
 * define is an error rather than silently dropped (a dropped term would not be signed).
 *
 * <p>The W3C test vectors of {@code eddsa-rdfc-2022} are reproduced byte for byte by {@code DataIntegrityTest}.
 */
public final class DataIntegrity {
    /** The Ed25519 cryptosuite. */
    public static final String EDDSA_RDFC_2022 = "eddsa-rdfc-2022";
    /** The P-256 cryptosuite. */
    public static final String ECDSA_RDFC_2019 = "ecdsa-rdfc-2019";

    private static final String PROOF_TYPE = "DataIntegrityProof";
    private static final String ASSERTION = "assertionMethod";

    private DataIntegrity() {}

    /** A proof that verified. */
    public record Verified(String verificationMethod, String cryptosuite, String created) {}

    /** Finds the public key of a verification method, or says why it cannot be trusted. */
    @FunctionalInterface
    public interface KeyResolver {
        VerificationKey resolve(String verificationMethod) throws ProofException;
    }

    /**
     * Adds a proof to {@code unsecured}.
     *
     * @param created the proof's time, written to the second in UTC
     * @return the document with its {@code proof}
     * @throws IllegalArgumentException if the document already has a proof, has no {@code @context}, or does not
     *     expand with the bundled contexts (the message says why)
     */
    public static JsonObject sign(JsonObject unsecured, ProofSigner signer, Instant created, Contexts contexts) {
        Objects.requireNonNull(unsecured, "unsecured");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(created, "created");
        if (unsecured.containsKey("proof")) {
            throw new IllegalArgumentException("the document already has a proof");
        }
        if (!unsecured.containsKey("@context")) {
            throw new IllegalArgumentException("the document has no @context");
        }
        JsonObject options = Json.createObjectBuilder()
                .add("type", PROOF_TYPE)
                .add("cryptosuite", signer.cryptosuite())
                .add("created", created.truncatedTo(ChronoUnit.SECONDS).toString())
                .add("verificationMethod", signer.verificationMethod())
                .add("proofPurpose", ASSERTION)
                .build();
        byte[] hashData;
        try {
            hashData = hashData(unsecured, options, contexts);
        } catch (ProofException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        JsonObject proof = Json.createObjectBuilder(options)
                .add("proofValue", Multibase.base58btc(signer.signature().sign(hashData)))
                .build();
        return Json.createObjectBuilder(unsecured).add("proof", proof).build();
    }

    /**
     * Verifies the one proof of {@code secured}: a {@code DataIntegrityProof} for {@code assertionMethod} of a
     * cryptosuite above, whose verification method {@code keys} resolves to a key of that suite.
     *
     * @throws ProofException saying what is wrong: no or several proofs, an unknown suite, an untrusted key, a
     *     document that does not expand, a signature that does not verify
     */
    public static Verified verify(JsonObject secured, KeyResolver keys, Contexts contexts) throws ProofException {
        Objects.requireNonNull(secured, "secured");
        Objects.requireNonNull(keys, "keys");
        JsonValue proofValue = secured.get("proof");
        if (proofValue == null) {
            throw new ProofException("the credential has no proof");
        }
        if (proofValue.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new ProofException("the credential must have exactly one proof, an object");
        }
        JsonObject proof = proofValue.asJsonObject();
        require(proof, "type", PROOF_TYPE);
        require(proof, "proofPurpose", ASSERTION);
        String suite = string(proof, "cryptosuite");
        if (!EDDSA_RDFC_2022.equals(suite) && !ECDSA_RDFC_2019.equals(suite)) {
            throw new ProofException("cryptosuite '" + suite + "' is not supported (only " + EDDSA_RDFC_2022 + " and "
                    + ECDSA_RDFC_2019 + ")");
        }
        String method = string(proof, "verificationMethod");
        byte[] signature;
        try {
            signature = Multibase.decodeBase58btc(string(proof, "proofValue"));
        } catch (IllegalArgumentException e) {
            throw new ProofException("proofValue: " + e.getMessage(), e);
        }
        VerificationKey key = keys.resolve(method);
        if (!key.cryptosuite().equals(suite)) {
            throw new ProofException("the key of " + method + " signs " + key.cryptosuite() + " proofs, not " + suite);
        }
        JsonObjectBuilder unsecured = Json.createObjectBuilder(secured).remove("proof");
        JsonObjectBuilder options = Json.createObjectBuilder(proof).remove("proofValue");
        if (proof.containsKey("@context") && !proof.get("@context").equals(secured.get("@context"))) {
            throw new ProofException("the proof's @context differs from the credential's");
        }
        byte[] hashData = hashData(unsecured.build(), options.remove("@context").build(), contexts);
        try {
            key.verify(hashData, signature);
        } catch (SignatureException e) {
            throw new ProofException("the proof's signature does not verify: the credential was altered after"
                    + " signing, or was not signed by " + method);
        }
        JsonValue created = proof.get("created");
        return new Verified(method, suite, created instanceof JsonString text ? text.getString() : null);
    }

    /**
     * @return the RDFC-1.0 canonical N-Quads of {@code document}, UTF-8
     * @throws ProofException if it does not expand with {@code contexts}
     */
    public static byte[] canonical(JsonObject document, Contexts contexts) throws ProofException {
        JsonLdOptions options = contexts.options();
        RdfCanon canon = RdfCanon.create("SHA-256");
        try {
            JsonLd.toRdf(JsonDocument.of(document)).options(options).provide(canon);
            StringWriter out = new StringWriter();
            canon.provide(new NQuadsWriter(out));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (JsonLdError e) {
            Throwable root = e;
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (cause instanceof JsonLdError) {
                    root = cause;
                }
            }
            throw new ProofException(
                    "the document is not valid JSON-LD with the bundled contexts: " + root.getMessage(), e);
        } catch (RdfConsumerException e) {
            throw new ProofException("the document cannot be canonicalised: " + e.getMessage(), e);
        }
    }

    private static byte[] hashData(JsonObject unsecured, JsonObject options, Contexts contexts) throws ProofException {
        JsonObject optionsWithContext = Json.createObjectBuilder(options)
                .add("@context", unsecured.get("@context"))
                .build();
        byte[] proofHash = Sha256.of(canonical(optionsWithContext, contexts));
        byte[] documentHash = Sha256.of(canonical(unsecured, contexts));
        byte[] hashData = new byte[64];
        System.arraycopy(proofHash, 0, hashData, 0, 32);
        System.arraycopy(documentHash, 0, hashData, 32, 32);
        return hashData;
    }

    private static void require(JsonObject proof, String name, String expected) throws ProofException {
        String value = string(proof, name);
        if (!expected.equals(value)) {
            throw new ProofException("proof " + name + " is '" + value + "', not '" + expected + "'");
        }
    }

    private static String string(JsonObject proof, String name) throws ProofException {
        JsonValue value = proof.get(name);
        if (!(value instanceof JsonString text)) {
            throw new ProofException("the proof has no " + name + " string");
        }
        return text.getString();
    }
}
