package dev.dossier.node.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Fabric signature policies ({@code common.SignaturePolicyEnvelope}), the form of key-level endorsement policies,
 * evaluated the way Fabric's policy engine (cauthdsl) does: {@code SignedBy(i)} is satisfied by one not yet used
 * endorser that matches principal {@code i}; {@code NOutOf(n, rules)} by at least {@code n} of its rules, each
 * consuming the endorsers it used only if it is satisfied. Endorsers here are nodes of the consortium, so they match
 * the {@code ROLE} principals {@code MEMBER} and {@code PEER} of their organisation and nothing else (no admin, no
 * client, no identity or OU principal). Stateless and thread-safe.
 */
public final class SignaturePolicies {
    /** Deepest nesting of {@code NOutOf} rules evaluated; deeper policies are refused as malformed. */
    private static final int MAX_DEPTH = 16;

    private SignaturePolicies() {}

    /**
     * A policy satisfied by one endorsement of a node of {@code mspId}: what the chaincode shim's
     * {@code StateBasedEndorsement} writes for one organisation ({@code AND('<mspId>.peer')}).
     */
    public static SignaturePolicyEnvelope ownedBy(String mspId) {
        return SignaturePolicyEnvelope.newBuilder()
                .setVersion(0)
                .setRule(SignaturePolicy.newBuilder()
                        .setNOutOf(SignaturePolicy.NOutOf.newBuilder()
                                .setN(1)
                                .addRules(SignaturePolicy.newBuilder().setSignedBy(0))))
                .addIdentities(MSPPrincipal.newBuilder()
                        .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                        .setPrincipal(MSPRole.newBuilder()
                                .setMspIdentifier(mspId)
                                .setRole(MSPRole.MSPRoleType.PEER)
                                .build()
                                .toByteString()))
                .build();
    }

    /**
     * @return the decoded policy
     * @throws IllegalArgumentException if {@code bytes} is not a signature policy this evaluator understands
     */
    public static SignaturePolicyEnvelope parse(ByteString bytes) {
        SignaturePolicyEnvelope policy;
        try {
            policy = SignaturePolicyEnvelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("endorsement policy does not decode: " + e.getMessage(), e);
        }
        check(policy.getRule(), policy.getIdentitiesCount(), 0);
        for (MSPPrincipal principal : policy.getIdentitiesList()) {
            role(principal); // decodes, or throws
        }
        return policy;
    }

    /** @return true if endorsements by nodes of {@code endorserMsps} (one entry per endorser) satisfy the policy */
    public static boolean satisfied(SignaturePolicyEnvelope policy, List<String> endorserMsps) {
        return evaluate(policy.getRule(), policy, endorserMsps, new boolean[endorserMsps.size()]);
    }

    /** @return the organisations the policy's principals name, in the order it names them */
    public static Set<String> organisations(SignaturePolicyEnvelope policy) {
        Set<String> out = new LinkedHashSet<>();
        for (MSPPrincipal principal : policy.getIdentitiesList()) {
            MSPRole role = role(principal);
            if (role != null) {
                out.add(role.getMspIdentifier());
            }
        }
        return out;
    }

    /** @return a readable form, e.g. {@code OutOf(1, Org1MSP.peer)} */
    public static String describe(SignaturePolicyEnvelope policy) {
        return describe(policy.getRule(), policy);
    }

    private static void check(SignaturePolicy rule, int identities, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("endorsement policy nests deeper than " + MAX_DEPTH);
        }
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                if (rule.getSignedBy() < 0 || rule.getSignedBy() >= identities) {
                    throw new IllegalArgumentException(
                            "endorsement policy names identity " + rule.getSignedBy() + " of " + identities);
                }
            }
            case N_OUT_OF -> {
                for (SignaturePolicy child : rule.getNOutOf().getRulesList()) {
                    check(child, identities, depth + 1);
                }
            }
            default -> throw new IllegalArgumentException("endorsement policy has an empty rule");
        }
    }

    private static boolean evaluate(
            SignaturePolicy rule, SignaturePolicyEnvelope policy, List<String> endorsers, boolean[] used) {
        if (rule.getTypeCase() == SignaturePolicy.TypeCase.SIGNED_BY) {
            MSPRole wanted = role(policy.getIdentities(rule.getSignedBy()));
            if (wanted == null) {
                return false;
            }
            for (int i = 0; i < endorsers.size(); i++) {
                if (!used[i] && matches(wanted, endorsers.get(i))) {
                    used[i] = true;
                    return true;
                }
            }
            return false;
        }
        SignaturePolicy.NOutOf nOutOf = rule.getNOutOf();
        int satisfied = 0;
        for (SignaturePolicy child : nOutOf.getRulesList()) {
            boolean[] attempt = used.clone();
            if (evaluate(child, policy, endorsers, attempt)) {
                satisfied++;
                System.arraycopy(attempt, 0, used, 0, used.length);
            }
        }
        return satisfied >= nOutOf.getN();
    }

    private static boolean matches(MSPRole wanted, String endorserMsp) {
        return wanted.getMspIdentifier().equals(endorserMsp)
                && (wanted.getRole() == MSPRole.MSPRoleType.PEER || wanted.getRole() == MSPRole.MSPRoleType.MEMBER);
    }

    /** @return the role principal, or null for a principal of another classification (which no node matches) */
    private static MSPRole role(MSPPrincipal principal) {
        if (principal.getPrincipalClassification() != MSPPrincipal.Classification.ROLE) {
            return null;
        }
        try {
            return MSPRole.parseFrom(principal.getPrincipal());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("endorsement policy principal does not decode: " + e.getMessage(), e);
        }
    }

    private static String describe(SignaturePolicy rule, SignaturePolicyEnvelope policy) {
        if (rule.getTypeCase() == SignaturePolicy.TypeCase.SIGNED_BY) {
            MSPRole role = role(policy.getIdentities(rule.getSignedBy()));
            return role == null
                    ? "(non-role principal)"
                    : role.getMspIdentifier() + "." + role.getRole().name().toLowerCase(Locale.ROOT);
        }
        List<String> parts = new ArrayList<>();
        for (SignaturePolicy child : rule.getNOutOf().getRulesList()) {
            parts.add(describe(child, policy));
        }
        return "OutOf(" + rule.getNOutOf().getN() + ", " + String.join(", ", parts) + ")";
    }
}
