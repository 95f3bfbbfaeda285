package dev.dossier.credential;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks of a Verifiable Credential 2.0 that need no ledger: it is one JSON object of at most {@value
 * #MAX_CHARS} characters, a {@code VerifiableCredential} with the VC 2.0 context first, its one Data Integrity proof
 * verifies with a key of its issuer (the verification method is a key of the issuer's DID), and its dates parse. Then
 * {@link #revoked} reads its bit in a signed Bitstring Status List.
 */
public final class CredentialCheck {
    /** The largest credential accepted, in characters. */
    public static final int MAX_CHARS = 1 << 20;

    private CredentialCheck() {}

    /** A credential's {@code BitstringStatusListEntry} of purpose {@code revocation}. */
    public record StatusEntry(String statusListCredential, long index) {}

    /**
     * A credential whose proof verified.
     *
     * @param issuer the issuer's id (a DID or URL)
     * @param validUntil null if the credential does not expire
     * @param status null if the credential has no revocation status entry
     */
    public record Checked(
            JsonObject credential,
            String issuer,
            DataIntegrity.Verified proof,
            Instant validFrom,
            Instant validUntil,
            StatusEntry status) {
        /** @return whether {@code now} is outside the credential's validity */
        public boolean expiredAt(Instant now) {
            return (validUntil != null && now.isAfter(validUntil)) || (validFrom != null && now.isBefore(validFrom));
        }
    }

    /**
     * @throws ProofException if the text is longer than {@value #MAX_CHARS} characters or not one JSON object
     */
    public static JsonObject parse(String json) throws ProofException {
        Objects.requireNonNull(json, "json");
        if (json.length() > MAX_CHARS) {
            throw new ProofException("the credential is longer than " + MAX_CHARS + " characters");
        }
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new ProofException("the credential is not a JSON object: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a credential's shape, proof and issuer key, and reads its dates and status entry.
     *
     * @throws ProofException saying what is wrong
     */
    public static Checked check(JsonObject credential, DataIntegrity.KeyResolver keys, Contexts contexts)
            throws ProofException {
        Objects.requireNonNull(credential, "credential");
        JsonValue context = credential.get("@context");
        if (context == null
                || context.getValueType() != JsonValue.ValueType.ARRAY
                || context.asJsonArray().isEmpty()
                || !Json.createValue(Contexts.VC_V2)
                        .equals(context.asJsonArray().get(0))) {
            throw new ProofException("the credential's @context must be an array starting with " + Contexts.VC_V2
                    + " (a Verifiable Credential 2.0)");
        }
        if (!strings(credential.get("type")).contains("VerifiableCredential")) {
            throw new ProofException("the credential's type does not include VerifiableCredential");
        }
        String issuer = issuer(credential);
        DataIntegrity.Verified proof = DataIntegrity.verify(
                credential,
                method -> {
                    int hash = method.indexOf('#');
                    if (hash < 0 || !method.substring(0, hash).equals(issuer)) {
                        throw new ProofException("the proof's key " + method + " is not a key of the issuer " + issuer);
                    }
                    return keys.resolve(method);
                },
                contexts);
        return new Checked(
                credential,
                issuer,
                proof,
                instant(credential, "validFrom"),
                instant(credential, "validUntil"),
                statusEntry(credential));
    }

    /**
     * Reads a credential's bit in its status list.
     *
     * @param list the {@code BitstringStatusListCredential} the entry names
     * @param nodeKeys who may sign status lists
     * @return whether the credential is revoked
     * @throws ProofException if the list's proof does not verify, it is not a revocation list, or the index is beyond
     *     it
     */
    public static boolean revoked(
            JsonObject list, StatusEntry entry, DataIntegrity.KeyResolver nodeKeys, Contexts contexts)
            throws ProofException {
        if (!strings(list.get("type")).contains("BitstringStatusListCredential")) {
            throw new ProofException("the status list is not a BitstringStatusListCredential");
        }
        DataIntegrity.verify(list, nodeKeys, contexts);
        JsonValue subject = list.get("credentialSubject");
        if (!(subject instanceof JsonObject listSubject)
                || !"revocation".equals(string(listSubject, "statusPurpose"))
                || string(listSubject, "encodedList") == null) {
            throw new ProofException("the status list has no revocation encodedList");
        }
        try {
            return StatusList.decode(string(listSubject, "encodedList")).get(entry.index());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ProofException("status list: " + e.getMessage(), e);
        }
    }

    private static String issuer(JsonObject credential) throws ProofException {
        JsonValue issuer = credential.get("issuer");
        if (issuer instanceof JsonString id) {
            return id.getString();
        }
        if (issuer instanceof JsonObject profile && string(profile, "id") != null) {
            return string(profile, "id");
        }
        throw new ProofException("the credential has no issuer id");
    }

    private static StatusEntry statusEntry(JsonObject credential) throws ProofException {
        JsonValue status = credential.get("credentialStatus");
        List<JsonObject> entries = new ArrayList<>();
        if (status instanceof JsonObject one) {
            entries.add(one);
        } else if (status != null && status.getValueType() == JsonValue.ValueType.ARRAY) {
            for (JsonValue value : status.asJsonArray()) {
                if (value instanceof JsonObject entry) {
                    entries.add(entry);
                }
            }
        }
        for (JsonObject entry : entries) {
            if ("BitstringStatusListEntry".equals(string(entry, "type"))
                    && "revocation".equals(string(entry, "statusPurpose"))) {
                String list = string(entry, "statusListCredential");
                String index = string(entry, "statusListIndex");
                if (list == null || index == null || !index.matches("0|[1-9][0-9]{0,17}")) {
                    throw new ProofException("the credential's BitstringStatusListEntry needs a statusListCredential"
                            + " and a statusListIndex in decimal");
                }
                return new StatusEntry(list, Long.parseLong(index));
            }
        }
        return null;
    }

    private static Instant instant(JsonObject credential, String name) throws ProofException {
        String value = string(credential, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            throw new ProofException(
                    "the credential's " + name + " '" + value + "' is not an xsd:dateTime with a" + " time zone");
        }
    }

    private static List<String> strings(JsonValue value) {
        if (value instanceof JsonString one) {
            return List.of(one.getString());
        }
        List<String> out = new ArrayList<>();
        if (value != null && value.getValueType() == JsonValue.ValueType.ARRAY) {
            for (JsonValue item : value.asJsonArray()) {
                if (item instanceof JsonString text) {
                    out.add(text.getString());
                }
            }
        }
        return out;
    }

    private static String string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString text ? text.getString() : null;
    }
}
