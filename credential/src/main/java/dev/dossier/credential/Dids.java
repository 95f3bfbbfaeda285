package dev.dossier.credential;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.List;
import java.util.Objects;

/**
 * The two DID methods Dossier reads: {@code did:key} (the key is the identifier, so it resolves offline) and {@code
 * did:web} (a controller document at an HTTPS or HTTP address). A {@code did:web} is never fetched from the address it
 * names: Dossier's verifiers resolve it against the consortium's trust file or its own nodes only (see {@code
 * docs/credentials.md}).
 */
public final class Dids {
    private Dids() {}

    /** A parsed {@code did:web}: its host (with port) and path segments, and the fragment of a DID URL. */
    public record Web(String host, List<String> path, String fragment) {
        /** @return the DID without the fragment */
        public String did() {
            StringBuilder did = new StringBuilder("did:web:").append(host.replace(":", "%3A"));
            path.forEach(segment -> did.append(':').append(segment));
            return did.toString();
        }
    }

    /**
     * Resolves a {@code did:key} verification method, {@code did:key:<multibase>#<multibase>} (the fragment, if any,
     * must repeat the key).
     *
     * @throws ProofException if it is not such a DID URL or not a supported key
     */
    public static VerificationKey didKey(String verificationMethod) throws ProofException {
        Objects.requireNonNull(verificationMethod, "verificationMethod");
        if (!verificationMethod.startsWith("did:key:")) {
            throw new ProofException("verification method " + verificationMethod + " is not a did:key");
        }
        String rest = verificationMethod.substring("did:key:".length());
        int hash = rest.indexOf('#');
        String key = hash < 0 ? rest : rest.substring(0, hash);
        if (hash >= 0 && !rest.substring(hash + 1).equals(key)) {
            throw new ProofException("the fragment of " + verificationMethod + " does not repeat its key");
        }
        try {
            return VerificationKey.fromMultibase(key);
        } catch (InvalidKeyException e) {
            throw new ProofException(verificationMethod + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a {@code did:web} DID or DID URL: {@code did:web:<host>[%3A<port>][:<segment>...][#<fragment>]}.
     *
     * @throws ProofException if it is not one
     */
    public static Web web(String didUrl) throws ProofException {
        Objects.requireNonNull(didUrl, "didUrl");
        if (!didUrl.startsWith("did:web:")) {
            throw new ProofException(didUrl + " is not a did:web");
        }
        String rest = didUrl.substring("did:web:".length());
        int hash = rest.indexOf('#');
        String fragment = hash < 0 ? null : rest.substring(hash + 1);
        String[] parts = (hash < 0 ? rest : rest.substring(0, hash)).split(":", -1);
        String host = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\-\\[\\]]+(:[0-9]{1,5})?")) {
            throw new ProofException(didUrl + " does not name a host");
        }
        List<String> path = List.of(parts).subList(1, parts.length);
        if (path.stream().anyMatch(segment -> !segment.matches("[A-Za-z0-9._\\-]+"))) {
            throw new ProofException(didUrl + " has an empty or unusual path segment");
        }
        return new Web(host, path, fragment);
    }
}
