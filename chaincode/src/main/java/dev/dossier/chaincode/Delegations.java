package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * Delegations of drafting: an issuing organisation lets a training provider, another member organisation, draft
 * records in its name for one project (a project code) and some of its modules; the issuer validates or rejects the
 * drafts ({@link Drafting}).
 *
 * <p>A delegation is stored under the composite key {@code delegation/<project>/<issuer MSP id>/<provider MSP id>}
 * (so a project's delegations are one range), with the key-level endorsement policy "a node of the issuer": only the
 * issuer's nodes can withdraw or change it. Its value, sorted members, no whitespace:
 *
 * <pre>{@code
 * {"grantedAt":"2025-03-01T09:30:00Z","issuer":"Org1MSP","modules":["SIC-GEN-4H","SIC-RB-8H"],"project":"P-2025-07",
 *  "provider":"Org2MSP","status":"active"}
 * }</pre>
 *
 * <p>Withdrawn, {@code status} is {@code withdrawn} and {@code withdrawnAt} the withdrawing transaction's time; a
 * later grant makes it active again, with the modules then given. The provider is named by its organisation, not by a
 * person's certificate: the organisation is what every node verifies from the creator's certificate chain at commit,
 * a delegation is an agreement between organisations that outlives any one employee's certificate, and the ledger
 * then holds no further personal identifier. Which of the provider's identities may draft is the role policy's
 * {@code draft} permission.
 */
final class Delegations {
    /** Object type of the delegation keys. */
    static final String TYPE = "delegation";
    /** Status of a delegation in force. */
    static final String ACTIVE = "active";
    /** Status of a withdrawn delegation. */
    static final String WITHDRAWN = "withdrawn";
    /** The most modules one delegation names. */
    static final int MAX_MODULES = 100;

    private Delegations() {}

    /** One delegation, as stored. */
    record Delegation(
            String issuer,
            String project,
            String provider,
            List<String> modules,
            String status,
            String grantedAt,
            String withdrawnAt) {
        boolean inForce() {
            return ACTIVE.equals(status);
        }

        String toJson() {
            StringBuilder out = new StringBuilder(160);
            Json.object(out)
                    .add("grantedAt", grantedAt)
                    .add("issuer", issuer)
                    .add("modules", modules)
                    .add("project", project)
                    .add("provider", provider)
                    .add("status", status)
                    .add("withdrawnAt", withdrawnAt)
                    .end();
            return out.toString();
        }

        static Delegation parse(String json) {
            if (!(JsonReader.parse(json) instanceof Map<?, ?> m) || !(m.get("modules") instanceof List<?> modules)) {
                throw new IllegalStateException("stored delegation is not one of this contract: " + json);
            }
            List<String> names = new ArrayList<>();
            modules.forEach(module -> names.add((String) module));
            return new Delegation(
                    (String) m.get("issuer"),
                    (String) m.get("project"),
                    (String) m.get("provider"),
                    List.copyOf(names),
                    (String) m.get("status"),
                    (String) m.get("grantedAt"),
                    (String) m.get("withdrawnAt"));
        }
    }

    /** @return the key of the delegation of {@code project} by {@code issuer} to {@code provider} */
    static String key(String project, String issuer, String provider) {
        return new CompositeKey(TYPE, project, issuer, provider).toString();
    }

    /**
     * Grants (or grants again, with these modules) the caller's organisation's delegation of {@code project} to
     * {@code provider}.
     *
     * @return the delegation as stored
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} if the project or a module is not a code, the
     *     modules are not a non-empty array of at most {@value #MAX_MODULES} distinct codes, or the provider is the
     *     caller's organisation or not a member organisation
     */
    static String grant(
            ChaincodeStub stub, Access caller, Policy policy, String project, String provider, String json) {
        requireCode(project, "project");
        requireProvider(caller, policy, provider);
        if (!(Arguments.json(json, "modules") instanceof List<?> given)
                || given.isEmpty()
                || given.size() > MAX_MODULES) {
            throw Arguments.invalid("modules must be a JSON array of 1 to " + MAX_MODULES + " module codes");
        }
        TreeSet<String> modules = new TreeSet<>();
        for (Object module : given) {
            if (!(module instanceof String code) || !Tokens.isCode(code)) {
                throw Arguments.invalid("a module code must match " + Tokens.CODE_RULE + ", got '"
                        + Tokens.abbreviate(String.valueOf(module)) + "'");
            }
            if (!modules.add(code)) {
                throw Arguments.invalid("module " + code + " is listed twice");
            }
        }
        String key = key(project, caller.mspId(), provider);
        byte[] before = stub.getState(key);
        boolean exists = before != null && before.length > 0;
        Delegation delegation = new Delegation(
                caller.mspId(),
                project,
                provider,
                List.copyOf(modules),
                ACTIVE,
                stub.getTxTimestamp().toString(),
                null);
        String stored = delegation.toJson();
        stub.putState(key, stored.getBytes(UTF_8));
        if (!exists) {
            stub.setStateValidationParameter(key, EntryStore.ownerPolicy(caller.mspId()));
        }
        return stored;
    }

    /**
     * Withdraws the caller's organisation's delegation of {@code project} to {@code provider}; withdrawing a withdrawn
     * delegation changes nothing.
     *
     * @return the delegation as stored
     * @throws ChaincodeException {@link ErrorCode#NOT_FOUND} if the caller's organisation never granted it
     */
    static String withdraw(ChaincodeStub stub, Access caller, String project, String provider) {
        requireCode(project, "project");
        Delegation delegation = find(stub, project, caller.mspId(), provider);
        if (delegation == null) {
            throw new ChaincodeException(
                    caller.mspId() + " has no delegation of project " + project + " to " + Tokens.abbreviate(provider),
                    ErrorCode.NOT_FOUND.name());
        }
        if (!delegation.inForce()) {
            return delegation.toJson();
        }
        String stored = new Delegation(
                        delegation.issuer(),
                        project,
                        delegation.provider(),
                        delegation.modules(),
                        WITHDRAWN,
                        delegation.grantedAt(),
                        stub.getTxTimestamp().toString())
                .toJson();
        stub.putState(key(project, caller.mspId(), provider), stored.getBytes(UTF_8));
        return stored;
    }

    /** @return the delegations of {@code project}, in force or withdrawn, by issuer then provider, as a JSON array */
    static String list(ChaincodeStub stub, String project) {
        requireCode(project, "project");
        List<Json.Raw> delegations = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey(TYPE, project)) {
            for (KeyValue kv : it) {
                delegations.add(new Json.Raw(kv.getStringValue()));
            }
        }
        return Json.write(delegations);
    }

    /** @return the stored delegation of {@code project} by {@code issuer} to {@code provider}, or null */
    static Delegation find(ChaincodeStub stub, String project, String issuer, String provider) {
        if (!Tokens.isCode(project) || !Policy.isMspId(issuer) || !Policy.isMspId(provider)) {
            return null;
        }
        byte[] stored = stub.getState(key(project, issuer, provider));
        return stored == null || stored.length == 0 ? null : Delegation.parse(new String(stored, UTF_8));
    }

    static void requireCode(String code, String what) {
        if (!Tokens.isCode(code)) {
            throw Arguments.invalid(
                    what + " code must match " + Tokens.CODE_RULE + ", got '" + Tokens.abbreviate(code) + "'");
        }
    }

    private static void requireProvider(Access caller, Policy policy, String provider) {
        if (!Policy.isMspId(provider) || !policy.admits(provider)) {
            throw Arguments.invalid(
                    "provider '" + Tokens.abbreviate(provider) + "' is not a member organisation's MSP id");
        }
        if (provider.equals(caller.mspId())) {
            throw Arguments.invalid(provider + " cannot delegate drafting to itself: its identities anchor directly");
        }
    }
}
