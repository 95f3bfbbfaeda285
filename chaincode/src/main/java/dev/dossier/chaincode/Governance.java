package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.chaincode.Policy.Permission;
import dev.dossier.common.json.Json;
import dev.dossier.common.json.JsonReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * Where the role policy lives in the world state and how it changes.
 *
 * <ul>
 *   <li>The first policy, with the consortium's member organisations, is fixed when the channel is created: a
 *       Dossier node writes it under the policy key in the genesis block, from the policy document every founding
 *       organisation signed ({@code dossier network init}). Nobody can store a first policy by calling a function, so
 *       no first caller can take the governance. Until a policy is stored (on a channel created otherwise),
 *       {@link Policy#DEFAULT} is in force, which lists no organisation and so cannot be changed.
 *   <li>A change is proposed ({@code proposePolicy}, counting as the proposer's organisation's approval)
 *       and approved by hash ({@code approvePolicy}), one vote per organisation, and applied in the transaction that
 *       brings the approvals of the policy's member organisations to a strict majority. A proposal records the hash of
 *       the policy in force when it was made and can only be approved while that policy is still in force.
 * </ul>
 *
 * <p>Keys (composite, so they never mix with commitments): {@code policy} holds the policy's canonical JSON;
 * {@code policyProposal/<hash>} a pending proposal. Every transaction reads the {@code policy} key, so a transaction
 * endorsed under a policy that changes before it commits is invalidated by MVCC validation. These keys carry no
 * key-level endorsement policy: writing them needs the chaincode-level policy, nodes of a strict majority of the
 * organisations, so no organisation writes the policy or a proposal's approvals on its own.
 */
final class Governance {
    /** Event emitted when the policy changes; the payload is its hash (UTF-8 hex). */
    static final String POLICY_CHANGED_EVENT = "PolicyChanged";

    static final String POLICY_KEY = new CompositeKey("policy").toString();
    private static final String PROPOSAL_TYPE = "policyProposal";

    private record Parsed(byte[] stored, Policy policy) {}

    /** The last stored policy read and its parsed form: a pure function of the stored bytes, so safe to share. */
    private static volatile Parsed last = new Parsed(new byte[0], Policy.DEFAULT);

    private Governance() {}

    /** @return the policy in force: the stored one, else {@link Policy#DEFAULT} */
    static Policy current(ChaincodeStub stub) {
        byte[] stored = stub.getState(POLICY_KEY);
        if (stored == null) {
            stored = new byte[0];
        }
        Parsed parsed = last;
        if (!Arrays.equals(parsed.stored(), stored)) {
            Policy policy = stored.length == 0 ? Policy.DEFAULT : Policy.parse(new String(stored, UTF_8));
            parsed = new Parsed(stored, policy);
            last = parsed;
        }
        return parsed.policy();
    }

    /**
     * @return {@code {"hash":"<hex>","initialised":true|false,"policy":{...}}} for the policy in force
     */
    static String describe(Context ctx) {
        ChaincodeStub stub = ctx.getStub();
        Policy policy = current(stub);
        Access.checkMember(ctx, policy, "getPolicy");
        return describe(policy, isStored(stub));
    }

    private static String describe(Policy policy, boolean initialised) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hash", policy.hash());
        out.put("initialised", initialised);
        out.put("policy", new Json.Raw(policy.json()));
        return Json.write(out);
    }

    private static boolean isStored(ChaincodeStub stub) {
        byte[] stored = stub.getState(POLICY_KEY);
        return stored != null && stored.length > 0;
    }

    static String propose(Context ctx, String document) {
        ChaincodeStub stub = ctx.getStub();
        Policy inForce = current(stub);
        Access caller = voter(ctx, inForce, "proposePolicy");
        Policy proposed = parse(document);
        if (proposed.equals(inForce)) {
            throw new ChaincodeException(
                    "policy " + proposed.hash() + " is already in force", ErrorCode.INVALID_ARGUMENT.name());
        }
        Proposal existing = Proposal.read(stub, proposed.hash());
        Proposal proposal = existing != null && existing.base().equals(inForce.hash())
                ? existing
                : new Proposal(
                        proposed,
                        inForce.hash(),
                        new TreeSet<>(),
                        stub.getTxTimestamp().toString());
        return vote(stub, inForce, proposal, caller.mspId());
    }

    static String approve(Context ctx, String policyHash) {
        ChaincodeStub stub = ctx.getStub();
        Policy inForce = current(stub);
        Access caller = voter(ctx, inForce, "approvePolicy");
        String hash = requireHash(policyHash);
        if (hash.equals(inForce.hash())) {
            return result(true, hash, inForce.hash(), List.of(), inForce.majority());
        }
        Proposal proposal = Proposal.read(stub, hash);
        if (proposal == null) {
            throw new ChaincodeException("no pending policy proposal " + hash, ErrorCode.NOT_FOUND.name());
        }
        if (!proposal.base().equals(inForce.hash())) {
            throw new ChaincodeException(
                    "policy proposal " + hash + " was made under policy " + proposal.base() + " but " + inForce.hash()
                            + " is in force: propose it again",
                    ErrorCode.INVALID_STATE.name());
        }
        return vote(stub, inForce, proposal, caller.mspId());
    }

    /**
     * @return {@code {"approvals":[...],"base":"<hex>","hash":"<hex>","policy":{...},"proposedAt":"..."}}
     * @throws ChaincodeException {@link ErrorCode#NOT_FOUND} if no proposal has that hash
     */
    static String proposal(Context ctx, String policyHash) {
        ChaincodeStub stub = ctx.getStub();
        Access.checkMember(ctx, current(stub), "getPolicyProposal");
        String hash = requireHash(policyHash);
        Proposal proposal = Proposal.read(stub, hash);
        if (proposal == null) {
            throw new ChaincodeException("no pending policy proposal " + hash, ErrorCode.NOT_FOUND.name());
        }
        return proposal.toJson();
    }

    private static String vote(ChaincodeStub stub, Policy inForce, Proposal proposal, String mspId) {
        proposal.approvals().add(mspId);
        long members = proposal.approvals().stream()
                .filter(inForce.organisations()::contains)
                .count();
        boolean applied = members >= inForce.majority();
        String key = Proposal.key(stub, proposal.policy().hash());
        if (applied) {
            apply(stub, proposal.policy());
            stub.delState(key);
        } else {
            stub.putState(key, proposal.toJson().getBytes(UTF_8));
        }
        return result(applied, proposal.policy().hash(), proposal.base(), proposal.approvals(), inForce.majority());
    }

    private static String result(boolean applied, String hash, String base, Iterable<String> approvals, int required) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applied", applied);
        List<String> list = new ArrayList<>();
        approvals.forEach(list::add);
        out.put("approvals", list);
        out.put("base", base);
        out.put("hash", hash);
        out.put("required", required);
        return Json.write(out);
    }

    private static void apply(ChaincodeStub stub, Policy policy) {
        stub.putState(POLICY_KEY, policy.json().getBytes(UTF_8));
        stub.setEvent(POLICY_CHANGED_EVENT, policy.hash().getBytes(UTF_8));
    }

    /** Checks that the caller may vote on the policy, and that the policy in force names the voters. */
    private static Access voter(Context ctx, Policy inForce, String function) {
        Access caller = Access.check(ctx, inForce, Permission.POLICY, function);
        if (inForce.organisations().isEmpty()) {
            throw new ChaincodeException(
                    "the policy in force lists no member organisations, so nobody can vote: the channel's first "
                            + "policy is fixed when it is created (dossier network init)",
                    ErrorCode.INVALID_STATE.name());
        }
        return caller;
    }

    private static Policy parse(String document) {
        Policy policy;
        try {
            policy = Policy.parse(document);
        } catch (IllegalArgumentException e) {
            throw new ChaincodeException("invalid policy: " + e.getMessage(), ErrorCode.INVALID_ARGUMENT.name());
        }
        if (policy.organisations().isEmpty()) {
            throw new ChaincodeException(
                    "invalid policy: it must list the consortium's organisations", ErrorCode.INVALID_ARGUMENT.name());
        }
        return policy;
    }

    private static String requireHash(String policyHash) {
        String hash = Tokens.lowerHex64(policyHash);
        if (hash == null) {
            throw new ChaincodeException(
                    "a policy hash is 64 hexadecimal digits, got '" + Tokens.abbreviate(policyHash) + "'",
                    ErrorCode.INVALID_ARGUMENT.name());
        }
        return hash;
    }

    /** A pending change: the proposed policy, the hash of the policy it was proposed under, and the approvers. */
    private record Proposal(Policy policy, String base, TreeSet<String> approvals, String proposedAt) {
        static String key(ChaincodeStub stub, String hash) {
            return stub.createCompositeKey(PROPOSAL_TYPE, hash).toString();
        }

        static Proposal read(ChaincodeStub stub, String hash) {
            byte[] stored = stub.getState(key(stub, hash));
            if (stored == null || stored.length == 0) {
                return null;
            }
            Map<?, ?> m = (Map<?, ?>) JsonReader.parse(new String(stored, UTF_8));
            TreeSet<String> approvals = new TreeSet<>();
            for (Object mspId : (List<?>) m.get("approvals")) {
                approvals.add((String) mspId);
            }
            Policy policy = Policy.parse(Json.write(m.get("policy")));
            return new Proposal(policy, (String) m.get("base"), approvals, (String) m.get("proposedAt"));
        }

        String toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("approvals", new ArrayList<>(approvals));
            out.put("base", base);
            out.put("hash", policy.hash());
            out.put("policy", new Json.Raw(policy.json()));
            out.put("proposedAt", proposedAt);
            return Json.write(out);
        }
    }
}
