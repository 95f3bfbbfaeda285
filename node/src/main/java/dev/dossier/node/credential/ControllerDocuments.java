package dev.dossier.node.credential;

import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.VerificationKey;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code did:web} controller documents a node serves (DID Core with Multikey verification methods): its own at
 * {@code /.well-known/did.json} ({@code did:web:<host>%3A<port>}, its checkpoint key, which signs the status lists),
 * and every organisation's at {@code /<MSP id>/did.json} ({@code did:web:<host>%3A<port>:<MSP id>}, the
 * organisation's Ed25519 credential keys: the consortium's in force, or those of {@code credential-keys.txt}).
 */
public final class ControllerDocuments {
    private final String nodeDid;
    private final String nodeName;
    private final VerificationKey nodeKey;
    private final Supplier<List<CredentialKey>> organisationKeys;

    /**
     * @param baseUrl the node's HTTP address, whose host and port make its DID
     * @param nodeName the node's name in the trust file, the fragment of its key
     * @param organisationKeys the organisations' credential keys in force, asked at each request (the consortium's
     *     keys change by vote)
     */
    public ControllerDocuments(
            String baseUrl, String nodeName, VerificationKey nodeKey, Supplier<List<CredentialKey>> organisationKeys) {
        this.nodeDid = didWeb(baseUrl);
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.organisationKeys = Objects.requireNonNull(organisationKeys, "organisationKeys");
    }

    /** @return the {@code did:web} of an HTTP address: {@code http://localhost:9051} gives {@code did:web:localhost%3A9051} */
    public static String didWeb(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return "did:web:" + uri.getHost() + (uri.getPort() < 0 ? "" : "%3A" + uri.getPort());
    }

    /** @return the node's DID */
    public String nodeDid() {
        return nodeDid;
    }

    /** @return the verification method of the node's key */
    public String nodeMethod() {
        return nodeDid + "#" + nodeName;
    }

    /** @return the node's controller document */
    public JsonObject node() {
        return document(nodeDid, Json.createArrayBuilder().add(method(nodeDid, nodeName, nodeKey)), nodeName);
    }

    /** @return an organisation's controller document, empty if it has no credential key */
    public Optional<JsonObject> organisation(String mspId) {
        List<CredentialKey> keys = organisationKeys.get().stream()
                .filter(key -> key.organisation().equals(mspId))
                .toList();
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        String did = nodeDid + ":" + mspId;
        JsonArrayBuilder methods = Json.createArrayBuilder();
        JsonArrayBuilder assertion = Json.createArrayBuilder();
        for (CredentialKey key : keys) {
            methods.add(method(did, key.fragment(), key.key()));
            assertion.add(did + "#" + key.fragment());
        }
        return Optional.of(Json.createObjectBuilder()
                .add("@context", contexts())
                .add("id", did)
                .add("verificationMethod", methods)
                .add("assertionMethod", assertion)
                .build());
    }

    private static JsonObject document(String did, JsonArrayBuilder methods, String fragment) {
        return Json.createObjectBuilder()
                .add("@context", contexts())
                .add("id", did)
                .add("verificationMethod", methods)
                .add("assertionMethod", Json.createArrayBuilder().add(did + "#" + fragment))
                .build();
    }

    private static JsonArrayBuilder contexts() {
        return Json.createArrayBuilder()
                .add("https://www.w3.org/ns/did/v1")
                .add("https://w3id.org/security/multikey/v1");
    }

    private static JsonObject method(String did, String fragment, VerificationKey key) {
        return Json.createObjectBuilder()
                .add("id", did + "#" + fragment)
                .add("type", "Multikey")
                .add("controller", did)
                .add("publicKeyMultibase", key.multibase())
                .build();
    }
}
