package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.node.identity.Identity;
import io.grpc.Status;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who may follow the ledger as it grows, through ChaincodeEvents and Deliver: the role policy ({@code docs/design.md},
 * "Roles and policy") applied to events and blocks. The caller's role is the {@value #ROLE_ATTRIBUTE} attribute of its
 * validated certificate, as the contract reads it. Immutable and thread-safe.
 *
 * <table>
 *   <caption>What each role may follow</caption>
 *   <tr><th>caller</th><th>ChaincodeEvents</th><th>Deliver (blocks)</th></tr>
 *   <tr><td>a node of the consortium</td><td>every event</td><td>every block</td></tr>
 *   <tr><td>operator, auditor</td><td>every event</td><td>every block</td></tr>
 *   <tr><td>issuer, employer</td><td>events of its own organisation's transactions</td><td>refused</td></tr>
 *   <tr><td>worker, inspector, any other role, no role</td><td>refused</td><td>refused</td></tr>
 * </table>
 *
 * <p>Why: an event stream lists the commitments of every transaction as they are anchored, which is what a dossier
 * query lists; the policy lets issuers and employers list their own organisation's entries ({@code dossier}:
 * own-org) and workers only their own subject's. Events do not name their subject, so a worker's stream cannot be
 * cut to its own entries: workers are refused (their {@code dossier} query gives them their own), as are inspectors,
 * who may check a commitment they hold but not list any. A block holds every organisation's transactions in full,
 * and cutting transactions out of it would break its hashes: only the roles the design's table grants raw blocks
 * (operators and auditors) and the consortium's nodes read blocks.
 *
 * <p>The rule is these built-in defaults, which follow {@code network-config/policy.json}; it is not read from the
 * policy in force on the ledger: that document is the contract's own state (the node hosts any contract), its
 * grants name contract functions and none of them is an event stream. A consortium that changes the {@code dossier}
 * scopes of these roles changes what their queries return, not what they may follow here. Roles the defaults do not
 * name are refused, so a new role reads nothing until this rule grants it.
 */
public final class EventReaders {
    /** The certificate attribute holding the caller's role. */
    public static final String ROLE_ATTRIBUTE = "dossier.role";

    /** Roles that read every event and every block: the design's table grants them raw blocks. */
    static final Set<String> ALL_ROLES = Set.of("operator", "auditor");

    /** Roles that read the events of their own organisation's transactions (their {@code dossier} scope). */
    static final Set<String> OWN_ORGANISATION_ROLES = Set.of("issuer", "employer");

    /** What a caller may follow. */
    enum Scope {
        /** Every event. */
        ALL,
        /** Events of transactions created by the caller's organisation. */
        OWN_ORGANISATION
    }

    private final Supplier<Set<ByteString>> nodes;

    /**
     * @param nodeIdentities the serialized identities of the consortium's nodes in force, which read everything (asked
     *     at each call: the consortium may change)
     */
    public EventReaders(Supplier<Set<ByteString>> nodeIdentities) {
        this.nodes = Objects.requireNonNull(nodeIdentities, "nodeIdentities");
    }

    /** @return whether {@code caller} may read raw blocks through Deliver */
    public boolean mayReadBlocks(Identity caller) {
        return nodes.get().contains(caller.serialized()) || ALL_ROLES.contains(role(caller));
    }

    /**
     * @return which chaincode events {@code caller} may receive
     * @throws RequestException {@code PERMISSION_DENIED} naming the caller's role, if it may receive none
     */
    Scope eventScope(Identity caller) throws RequestException {
        if (mayReadBlocks(caller)) {
            return Scope.ALL;
        }
        String role = role(caller);
        if (OWN_ORGANISATION_ROLES.contains(role)) {
            return Scope.OWN_ORGANISATION;
        }
        throw new RequestException(
                Status.Code.PERMISSION_DENIED,
                (role == null ? "an identity without a role" : "role '" + role + "'") + " of " + caller.mspId()
                        + " may not read chaincode events: only operators and auditors (every event), issuers and"
                        + " employers (their own organisation's) may");
    }

    /** @return the caller's role, or null if its certificate names none */
    static String role(Identity caller) {
        return caller.attributes().get(ROLE_ATTRIBUTE);
    }
}
