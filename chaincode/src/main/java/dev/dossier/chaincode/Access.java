package dev.dossier.chaincode;

import dev.dossier.chaincode.Policy.Permission;
import dev.dossier.chaincode.Policy.Scope;
import dev.dossier.common.entry.LedgerEntry;
import org.hyperledger.fabric.contract.ClientIdentity;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The caller of a transaction function, once the {@link Policy} allowed its role to call it: the caller's MSP id, role
 * and {@link Scope}, read from its certificate through the shim's {@link ClientIdentity} (Fabric CA attributes {@value
 * #ROLE_ATTRIBUTE} and {@value #SUBJECT_ATTRIBUTE}, extension OID 1.2.3.4.5.6.7.8.1).
 *
 * <p>Every denial is a {@link ChaincodeException} with code {@link ErrorCode#PERMISSION_DENIED} whose message names the
 * role, its organisation and the function, such as {@code role 'inspector' of Org1MSP may not call 'anchor'}; it is
 * thrown before anything is written.
 */
final class Access {
    /** Certificate attribute holding the caller's role. */
    static final String ROLE_ATTRIBUTE = "dossier.role";
    /** Certificate attribute holding a worker's subject pseudonym. */
    static final String SUBJECT_ATTRIBUTE = "dossier.subject";

    private final ClientIdentity identity;
    private final String mspId;
    private final String role;
    private final String function;
    private final Scope scope;
    private final Policy policy;

    private Access(ClientIdentity identity, String mspId, String role, String function, Scope scope, Policy policy) {
        this.identity = identity;
        this.mspId = mspId;
        this.role = role;
        this.function = function;
        this.scope = scope;
        this.policy = policy;
    }

    /**
     * Checks that the caller may call {@code function} at all under {@code policy}.
     *
     * @param ctx the transaction context
     * @param policy the policy in force
     * @param permission the permission the function needs
     * @param function the function's name, for the message
     * @return the caller, with the scope of its grant
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the caller's organisation is not a member, it
     *     has no role, or its role is not granted {@code permission}
     */
    static Access check(Context ctx, Policy policy, Permission permission, String function) {
        ClientIdentity identity = ctx.getClientIdentity();
        String mspId = identity.getMSPID();
        String role = identity.getAttributeValue(ROLE_ATTRIBUTE);
        if (!policy.admits(mspId)) {
            throw denied(notMember(mspId, function));
        }
        if (role == null) {
            throw denied("an identity of " + mspId + " without a '" + ROLE_ATTRIBUTE + "' attribute may not call '"
                    + function + "'");
        }
        Scope scope = policy.scope(role, permission);
        if (scope == null) {
            throw denied("role '" + role + "' of " + mspId + " may not call '" + function + "'");
        }
        return new Access(identity, mspId, role, function, scope, policy);
    }

    /**
     * Checks that the caller's organisation is a member under {@code policy}, for the functions open to every member
     * whatever its role.
     *
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if it is not
     */
    static void checkMember(Context ctx, Policy policy, String function) {
        String mspId = ctx.getClientIdentity().getMSPID();
        if (!policy.admits(mspId)) {
            throw denied(notMember(mspId, function));
        }
    }

    private static String notMember(String mspId, String function) {
        return mspId + " is not an organisation of the consortium's policy and may not call '" + function + "'";
    }

    /** @return the caller's organisation */
    String mspId() {
        return mspId;
    }

    /** @return the scope of the caller's grant */
    Scope scope() {
        return scope;
    }

    /** @return the subject DN (RFC 2253) of the caller's certificate */
    String issuerId() {
        return identity.getX509Certificate().getSubjectX500Principal().getName();
    }

    /**
     * Checks that {@code entry} is within the caller's scope.
     *
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if it is another organisation's entry and the
     *     scope is own-org, or another subject's (or has no subject) and the scope is own-subject
     */
    void requireReach(LedgerEntry entry) {
        if (!reaches(entry)) {
            throw denied(prefix() + " on an entry of " + (scope == Scope.OWN_ORG ? entry.mspId() : "another subject"));
        }
    }

    /** @return true if {@code entry} is within the caller's scope (see {@link #requireReach}) */
    boolean reaches(LedgerEntry entry) {
        return switch (scope) {
            case ANY -> true;
            case OWN_ORG -> mspId.equals(entry.mspId());
            case OWN_SUBJECT -> subject().equals(entry.subject());
        };
    }

    /**
     * Whether the caller may see what links an entry to a person: its subject pseudonym and the issuing person's
     * certificate subject. Only a caller whose role may list that entry in a dossier may ({@code dossier} permission:
     * any entry, its own organisation's, or its own subject's); everyone else (an inspector checking a status, a
     * worker looking at another's entry) gets the entry without them, so two entries of one worker cannot be linked.
     */
    boolean seesPersonalLinks(LedgerEntry entry) {
        Scope dossier = policy.scope(role, Permission.DOSSIER);
        if (dossier == null) {
            return false;
        }
        return switch (dossier) {
            case ANY -> true;
            case OWN_ORG -> mspId.equals(entry.mspId());
            case OWN_SUBJECT ->
                entry.subject() != null
                        && entry.subject().equals(Tokens.lowerHex64(identity.getAttributeValue(SUBJECT_ATTRIBUTE)));
        };
    }

    /** @return the entry as this caller may see it: whole, or without its personal links */
    String show(LedgerEntry entry) {
        return (seesPersonalLinks(entry) ? entry : entry.withoutPersonalLinks()).toJson();
    }

    /**
     * Checks that a worker-style caller asks for its own subject.
     *
     * @throws ChaincodeException {@link ErrorCode#PERMISSION_DENIED} if the scope is own-subject and {@code subject}
     *     is not the caller's
     */
    void requireSubject(String subject) {
        if (scope == Scope.OWN_SUBJECT && !subject().equals(subject)) {
            throw denied(prefix() + " for another subject");
        }
    }

    /** @return the caller's subject pseudonym, lowercase */
    private String subject() {
        String subject = Tokens.lowerHex64(identity.getAttributeValue(SUBJECT_ATTRIBUTE));
        if (subject == null) {
            throw denied("role '" + role + "' of " + mspId + " has no valid '" + SUBJECT_ATTRIBUTE
                    + "' attribute and may not call '" + function + "'");
        }
        return subject;
    }

    private String prefix() {
        return "role '" + role + "' of " + mspId + " may not call '" + function + "'";
    }

    private static ChaincodeException denied(String message) {
        return new ChaincodeException(message, ErrorCode.PERMISSION_DENIED.name());
    }
}
