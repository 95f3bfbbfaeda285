package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.common.hash.Sha256;
import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consortium's role policy: which role may call which group of functions, and on what. Immutable.
 *
 * <p>The document (JSON; the consortium's copy is {@code network-config/policy.json}, which is also the built-in
 * {@link #DEFAULT}):
 *
 * <pre>{@code
 * {
 *   "version": 1,
 *   "description": "optional text",
 *   "organisations": ["Org1MSP", "Org2MSP"],
 *   "roles": {
 *     "issuer": {"anchor": "own-org", "revoke": "own-org", "status": "any", "history": "own-org",
 *                "dossier": "own-org"},
 *     "worker": {"status": "any", "history": "own-subject", "dossier": "own-subject"},
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>A role may call the functions of a {@link Permission} its entry names, within the {@link Scope} given; anything
 * not named is denied. {@code organisations} are the MSP ids of the consortium's members: when not empty, only their
 * identities may call anything, and a policy change needs the approval of a strict majority of them. The canonical
 * form ({@link #json()}: sorted keys, organisations sorted, no whitespace) is what is stored on the ledger, and its
 * SHA-256 ({@link #hash()}) identifies the policy in proposals and approvals.
 */
final class Policy {
    /** Groups of contract functions that the document grants. */
    enum Permission {
        /** {@code anchor}, {@code anchorRecord}, {@code anchorBatch}: always for the caller's own organisation. */
        ANCHOR("anchor", EnumSet.of(Scope.OWN_ORG)),
        /** {@code revoke}, {@code supersede}. */
        REVOKE("revoke", EnumSet.allOf(Scope.class)),
        /** {@code status}. */
        STATUS("status", EnumSet.allOf(Scope.class)),
        /** {@code history}. */
        HISTORY("history", EnumSet.allOf(Scope.class)),
        /** {@code dossier}: with own-org, only the caller's organisation's entries are listed. */
        DOSSIER("dossier", EnumSet.allOf(Scope.class)),
        /** {@code proposePolicy}, {@code approvePolicy}: a vote for the caller's organisation. */
        POLICY("policy", EnumSet.of(Scope.OWN_ORG)),
        /** {@code grantDelegation}, {@code withdrawDelegation}: delegations of the caller's own organisation. */
        DELEGATE("delegate", EnumSet.of(Scope.OWN_ORG)),
        /** {@code draftBatch}: drafts by the caller's organisation, under a delegation granted to it. */
        DRAFT("draft", EnumSet.of(Scope.OWN_ORG)),
        /** {@code validateDrafts}, {@code rejectDrafts}: drafts made for the caller's own organisation. */
        VALIDATE("validate", EnumSet.of(Scope.OWN_ORG));

        final String key;
        final Set<Scope> allowed;

        Permission(String key, Set<Scope> allowed) {
            this.key = key;
            this.allowed = allowed;
        }
    }

    /** What a granted permission reaches. */
    enum Scope {
        /** Every entry. */
        ANY("any"),
        /** Entries anchored by the caller's organisation (MSP id). */
        OWN_ORG("own-org"),
        /** Entries whose subject pseudonym is the caller's {@code dossier.subject} attribute. */
        OWN_SUBJECT("own-subject");

        final String key;

        Scope(String key) {
            this.key = key;
        }
    }

    /** The only document version this contract reads. */
    static final long VERSION = 1;

    private static final Map<String, Permission> PERMISSIONS = new TreeMap<>();
    private static final Map<String, Scope> SCOPES = new TreeMap<>();

    static {
        for (Permission p : Permission.values()) {
            PERMISSIONS.put(p.key, p);
        }
        for (Scope s : Scope.values()) {
            SCOPES.put(s.key, s);
        }
    }

    /** The built-in policy, in force until one is stored (the genesis block stores the first): {@code network-config/policy.json}. */
    static final Policy DEFAULT = parse(defaultDocument());

    private final String description;
    private final List<String> organisations;
    private final Map<String, Map<Permission, Scope>> roles;
    private final String json;
    private final String hash;

    private Policy(String description, List<String> organisations, Map<String, Map<Permission, Scope>> roles) {
        this.description = description;
        this.organisations = organisations;
        this.roles = roles;
        this.json = Json.write(toMap());
        this.hash = sha256Hex(json);
    }

    /**
     * Reads and checks a policy document.
     *
     * @param document the JSON document
     * @return the policy
     * @throws IllegalArgumentException naming the first problem: malformed JSON, unknown or missing members, version
     *     not 1, an organisation or role name that is not a token, a repeated organisation, an unknown permission or
     *     scope, or a scope the permission does not take
     */
    static Policy parse(String document) {
        Object root = JsonReader.parse(document);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("policy must be a JSON object");
        }
        for (Object key : map.keySet()) {
            if (!Set.of("version", "description", "organisations", "roles").contains(key)) {
                throw new IllegalArgumentException("policy has an unknown member '" + key + "'");
            }
        }
        if (!Long.valueOf(VERSION).equals(map.get("version"))) {
            throw new IllegalArgumentException("policy version must be " + VERSION + ", got " + map.get("version"));
        }
        Object description = map.get("description");
        if (description != null && !(description instanceof String)) {
            throw new IllegalArgumentException("policy description must be a string");
        }
        return new Policy((String) description, organisations(map.get("organisations")), roles(map.get("roles")));
    }

    private static List<String> organisations(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("policy organisations must be an array of MSP ids");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (Object element : list) {
            if (!(element instanceof String mspId) || !isName(mspId, true)) {
                throw new IllegalArgumentException("policy organisation '" + element + "' is not an MSP id");
            }
            if (!sorted.add(mspId)) {
                throw new IllegalArgumentException("policy organisation " + mspId + " is listed twice");
            }
        }
        return List.copyOf(sorted);
    }

    private static Map<String, Map<Permission, Scope>> roles(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("policy roles must be an object");
        }
        Map<String, Map<Permission, Scope>> roles = new TreeMap<>();
        for (Map.Entry<?, ?> role : map.entrySet()) {
            String name = (String) role.getKey();
            if (!isName(name, false)) {
                throw new IllegalArgumentException("policy role name '" + name + "' is not a lowercase token");
            }
            if (!(role.getValue() instanceof Map<?, ?> grants)) {
                throw new IllegalArgumentException("policy role '" + name + "' must be an object");
            }
            Map<Permission, Scope> granted = new EnumMap<>(Permission.class);
            for (Map.Entry<?, ?> grant : grants.entrySet()) {
                Permission permission = PERMISSIONS.get(grant.getKey());
                if (permission == null) {
                    throw new IllegalArgumentException("policy role '" + name + "': unknown permission '"
                            + grant.getKey() + "' (known: " + PERMISSIONS.keySet() + ")");
                }
                Scope scope = grant.getValue() instanceof String s ? SCOPES.get(s) : null;
                if (scope == null || !permission.allowed.contains(scope)) {
                    throw new IllegalArgumentException("policy role '" + name + "': permission '" + permission.key
                            + "' takes " + keys(permission.allowed) + ", got '" + grant.getValue() + "'");
                }
                granted.put(permission, scope);
            }
            roles.put(name, Collections.unmodifiableMap(granted));
        }
        return Collections.unmodifiableMap(roles);
    }

    private static List<String> keys(Set<Scope> scopes) {
        List<String> keys = new ArrayList<>();
        scopes.forEach(s -> keys.add(s.key));
        return keys;
    }

    /** @return whether {@code s} has the form of an MSP id a policy may list */
    static boolean isMspId(String s) {
        return s != null && isName(s, true);
    }

    /** MSP ids: letters, digits, '.', '_', '-'; role names: the same in lowercase. At most 64 characters. */
    private static boolean isName(String s, boolean upperCase) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (upperCase && c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return the scope of {@code role}'s grant of {@code permission}, or null if not granted */
    Scope scope(String role, Permission permission) {
        Map<Permission, Scope> granted = role == null ? null : roles.get(role);
        return granted == null ? null : granted.get(permission);
    }

    /** @return the member organisations' MSP ids, sorted; empty in the built-in default */
    List<String> organisations() {
        return organisations;
    }

    /** @return whether the policy lists {@code mspId} as a member, or lists no members at all */
    boolean admits(String mspId) {
        return organisations.isEmpty() || organisations.contains(mspId);
    }

    /** @return how many member approvals a change needs: a strict majority of {@link #organisations()} */
    int majority() {
        return organisations.size() / 2 + 1;
    }

    /** @return the canonical JSON of the document */
    String json() {
        return json;
    }

    /** @return SHA-256 of {@link #json()} (UTF-8), 64 lowercase hex digits */
    String hash() {
        return hash;
    }

    private Map<String, Object> toMap() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("version", VERSION);
        if (description != null) {
            document.put("description", description);
        }
        document.put("organisations", organisations);
        Map<String, Object> roleMap = new TreeMap<>();
        roles.forEach((role, grants) -> {
            Map<String, Object> grantMap = new TreeMap<>();
            grants.forEach((permission, scope) -> grantMap.put(permission.key, scope.key));
            roleMap.put(role, grantMap);
        });
        document.put("roles", roleMap);
        return document;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Policy that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(Sha256.of(text));
    }

    /** The default document, packaged from {@code network-config/policy.json} at build time. */
    private static String defaultDocument() {
        try (InputStream in = Policy.class.getResourceAsStream("policy.json")) {
            if (in == null) {
                throw new IllegalStateException("policy.json is missing from the contract's resources");
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
