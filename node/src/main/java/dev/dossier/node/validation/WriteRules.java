package dev.dossier.node.validation;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.node.consortium.ConsortiumChanges;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.MetadataReader;
import dev.dossier.node.ledger.StateView;
import dev.dossier.node.ledger.WriteCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Who must endorse a transaction for the keys it writes, decided per key as a Fabric peer's key-level validator
 * decides it, at commit on every node:
 *
 * <ol>
 *   <li>a key whose endorsement policy (its {@code VALIDATION_PARAMETER} metadata, set by the contract with
 *       {@code setStateValidationParameter}) a preceding valid transaction of the same block changed: the transaction
 *       fails, as in Fabric;
 *   <li>a key with an endorsement policy: the transaction's endorsers must satisfy it (and, in the notary's
 *       namespace, the write must keep what was anchored: {@link NotaryRule#update});
 *   <li>a key without one: in the notary's namespace, an entry or a subject index key may be created by its owner
 *       organisation alone under {@link NotaryRule#create}; every other key needs the chaincode-level policy, the
 *       endorsements of nodes of a strict majority of the consortium's organisations (Fabric's default
 *       {@code MAJORITY Endorsement}).
 * </ol>
 *
 * The function the submitter names plays no part. Immutable and thread-safe; deterministic for the same write set,
 * signers, organisations and state.
 */
public final class WriteRules {
    private final String notaryNamespace;
    private final List<String> organisations;

    /**
     * @param notaryNamespace the chaincode namespace whose keys {@link NotaryRule} judges
     * @param organisations the consortium's member organisations, over which a majority is counted
     */
    public WriteRules(String notaryNamespace, List<String> organisations) {
        this.notaryNamespace = requireNonNull(notaryNamespace, "notaryNamespace");
        this.organisations = List.copyOf(organisations);
        if (this.organisations.isEmpty()) {
            throw new IllegalArgumentException("organisations is empty");
        }
    }

    /** @return the check of a transaction made by {@code signers}, for {@link dev.dossier.node.ledger.PendingTx} */
    public WriteCheck check(Signers signers) {
        requireNonNull(signers, "signers");
        return (writes, state) -> violation(writes, signers, state);
    }

    /** @return how many organisations a strict majority of the consortium is */
    public int majority() {
        return organisations.size() / 2 + 1;
    }

    private Optional<String> violation(List<KeyWrite> writes, Signers signers, StateView state) {
        TxWrites notaryWrites = new TxWrites(writes, notaryNamespace);
        for (KeyWrite write : writes) {
            Optional<String> problem = violation(write, notaryWrites, signers, state);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> violation(KeyWrite write, TxWrites writes, Signers signers, StateView state) {
        String namespace = write.namespace();
        String key = write.key();
        if (state.metadataChangedInBlock(namespace, key)) {
            return Optional.of("the endorsement policy of " + display(key) + " changed earlier in this block");
        }
        Optional<ByteString> parameter = state.validationParameter(namespace, key);
        if (parameter.isPresent()) {
            SignaturePolicyEnvelope policy;
            try {
                policy = SignaturePolicies.parse(parameter.get());
            } catch (IllegalArgumentException e) {
                return Optional.of("the endorsement policy of " + display(key) + " is unusable: " + e.getMessage());
            }
            if (!SignaturePolicies.satisfied(policy, signers.endorserMsps())) {
                return Optional.of(display(key) + " needs endorsements satisfying " + SignaturePolicies.describe(policy)
                        + ", has " + signers.endorserMsps());
            }
            return namespace.equals(notaryNamespace)
                    ? NotaryRule.update(write, writes, signers, state)
                    : Optional.empty();
        }
        if (namespace.equals(notaryNamespace)) {
            NotaryRule.Verdict verdict = NotaryRule.create(write, writes, signers, state);
            if (verdict instanceof NotaryRule.Broken broken) {
                return Optional.of(broken.reason());
            }
            if (verdict instanceof NotaryRule.Owned owned) {
                return signers.endorserMsps().contains(owned.mspId())
                        ? Optional.empty()
                        : Optional.of(display(key) + " of " + owned.mspId() + " needs an endorsement by a node of "
                                + owned.mspId() + ", has " + signers.endorserMsps());
            }
        }
        long members = signers.endorserMsps().stream()
                .distinct()
                .filter(organisations::contains)
                .count();
        return members >= majority()
                ? Optional.empty()
                : Optional.of(display(key) + " needs endorsements by nodes of a majority (" + majority() + " of "
                        + organisations.size() + ") of the organisations, has " + signers.endorserMsps());
    }

    /**
     * The organisations whose nodes an endorsing gateway of {@code ownMsp} must ask, besides itself, so that the
     * writes of a simulated transaction will satisfy these rules at commit, judged against the committed state now:
     * the owners named by the written keys' policies, the creator's organisation for the notary keys it creates, and
     * for other keys without a policy enough organisations, in consortium order, for a majority.
     */
    public List<String> organisationsToAsk(
            List<KeyWrite> writes, Signers signers, String ownMsp, MetadataReader state) {
        Set<String> needed = new LinkedHashSet<>();
        boolean majority = false;
        for (KeyWrite write : writes) {
            if (write.namespace().equals(ConsortiumChanges.NAMESPACE)) {
                continue; // judged by recomputing the call, not by endorsements
            }
            Optional<ByteString> parameter = Optional.ofNullable(
                    state.metadata(write.namespace(), write.key()).get(KeyWrite.VALIDATION_PARAMETER));
            Optional<String> claimant = write.namespace().equals(notaryNamespace)
                    ? NotaryRule.claimant(write.key(), signers.creatorMsp())
                    : Optional.empty();
            if (parameter.isPresent()) {
                try {
                    needed.addAll(SignaturePolicies.organisations(SignaturePolicies.parse(parameter.get())));
                } catch (IllegalArgumentException e) {
                    majority = true;
                }
            } else if (claimant.isPresent()) {
                needed.add(claimant.get());
            } else {
                majority = true;
            }
        }
        if (majority) {
            Set<String> counted = new LinkedHashSet<>(needed);
            counted.add(ownMsp);
            for (String msp : organisations) {
                if (counted.stream().filter(organisations::contains).count() >= majority()) {
                    break;
                }
                if (counted.add(msp)) {
                    needed.add(msp);
                }
            }
        }
        needed.remove(ownMsp);
        return new ArrayList<>(needed);
    }

    private static String display(String key) {
        return "key '" + key.replace('\u0000', '/') + "'";
    }

    @Override
    public String toString() {
        return "WriteRules{notary " + notaryNamespace + ", majority " + majority() + " of " + organisations + "}";
    }
}
