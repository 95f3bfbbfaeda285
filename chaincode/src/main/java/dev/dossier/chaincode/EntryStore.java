package dev.dossier.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ext.sbe.StateBasedEndorsement;
import org.hyperledger.fabric.shim.ext.sbe.impl.StateBasedEndorsementFactory;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * How the contract's entries lie in the world state: each under its lowercase commitment, as the JSON of
 * {@link LedgerEntry}; an entry with a subject also under the subject index key
 * {@code subject/<pseudonym>/<mspId>/<commitment>}; both keys with the key-level endorsement policy "a node of the
 * anchoring organisation", so only that organisation's nodes can endorse a change of them.
 */
final class EntryStore {
    /** Object type of the subject index's composite keys: {@code subject/<pseudonym>/<mspId>/<commitment>}. */
    static final String SUBJECT_INDEX = "subject";

    private static final byte[] INDEX_VALUE = {0};
    private static final Map<String, byte[]> OWNER_POLICIES = new ConcurrentHashMap<>();

    private EntryStore() {}

    /**
     * Reads an entry this contract stored.
     *
     * @throws IllegalStateException if {@code json} is not an entry (a value written around the contract)
     */
    static LedgerEntry entry(String json) {
        try {
            return LedgerEntry.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored entry is not an entry of this contract: " + e.getMessage(), e);
        }
    }

    /**
     * @return the stored entry's JSON
     * @throws ChaincodeException {@link ErrorCode#NOT_FOUND} if the commitment is not anchored
     */
    static String stored(ChaincodeStub stub, String commitment) {
        byte[] value = stub.getState(commitment);
        if (value == null || value.length == 0) {
            throw notAnchored(commitment);
        }
        return new String(value, UTF_8);
    }

    /** @return the refusal of a commitment that is not anchored: {@link ErrorCode#NOT_FOUND} */
    static ChaincodeException notAnchored(String commitment) {
        return new ChaincodeException("commitment " + commitment + " is not anchored", ErrorCode.NOT_FOUND.name());
    }

    /**
     * Writes a new entry, and its subject index key when it has a subject, each with the key-level endorsement policy
     * "a node of the anchoring organisation": from then on only that organisation's nodes can endorse a change of
     * them (checked at commit on every node, as Fabric's validator checks state-based endorsement). Returns its JSON.
     */
    static String create(ChaincodeStub stub, LedgerEntry entry) {
        String json = entry.toJson();
        byte[] owner = ownerPolicy(entry.mspId());
        stub.putState(entry.commitment(), json.getBytes(UTF_8));
        stub.setStateValidationParameter(entry.commitment(), owner);
        if (entry.subject() != null) {
            String index = subjectIndexKey(entry);
            stub.putState(index, INDEX_VALUE);
            stub.setStateValidationParameter(index, owner);
        }
        return json;
    }

    /** Rewrites an existing entry (its status and links); its key-level policy stays as it was. Returns its JSON. */
    static String write(ChaincodeStub stub, LedgerEntry entry) {
        String json = entry.toJson();
        stub.putState(entry.commitment(), json.getBytes(UTF_8));
        return json;
    }

    /** @return the serialized endorsement policy {@code AND('<mspId>.peer')}, as the shim's SBE API builds it */
    static byte[] ownerPolicy(String mspId) {
        return OWNER_POLICIES
                .computeIfAbsent(mspId, msp -> {
                    StateBasedEndorsement sbe =
                            StateBasedEndorsementFactory.getInstance().newStateBasedEndorsement(null);
                    sbe.addOrgs(StateBasedEndorsement.RoleType.RoleTypePeer, msp);
                    return sbe.policy();
                })
                .clone();
    }

    /**
     * The composite key {@code subject/<subject>/<mspId>/<commitment>}, exactly as the shim's {@link CompositeKey}
     * (which a stub's {@code createCompositeKey} returns) builds it but without its per-call regular expression:
     * subject and commitment are hex, and an MSP id holding a delimiter goes to {@link CompositeKey}, which refuses
     * it.
     */
    static String subjectIndexKey(LedgerEntry entry) {
        String mspId = entry.mspId();
        if (mspId.indexOf(0) >= 0 || mspId.indexOf(Character.MAX_CODE_POINT) >= 0) {
            return new CompositeKey(SUBJECT_INDEX, entry.subject(), mspId, entry.commitment()).toString();
        }
        return CompositeKey.NAMESPACE
                + SUBJECT_INDEX
                + '\u0000'
                + entry.subject()
                + '\u0000'
                + mspId
                + '\u0000'
                + entry.commitment()
                + '\u0000';
    }

    /**
     * @return the JSON of the entries indexed under {@code subject}, ordered by anchoring organisation then
     *     commitment; only those of organisation {@code mspId} unless it is null
     */
    static List<Json.Raw> ofSubject(ChaincodeStub stub, String subject, String mspId) {
        List<Json.Raw> entries = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = mspId != null
                ? stub.getStateByPartialCompositeKey(SUBJECT_INDEX, subject, mspId)
                : stub.getStateByPartialCompositeKey(SUBJECT_INDEX, subject)) {
            for (KeyValue index : it) {
                String commitment =
                        stub.splitCompositeKey(index.getKey()).getAttributes().get(2);
                byte[] entry = stub.getState(commitment);
                if (entry != null && entry.length > 0) {
                    entries.add(new Json.Raw(new String(entry, UTF_8)));
                }
            }
        }
        return entries;
    }
}
