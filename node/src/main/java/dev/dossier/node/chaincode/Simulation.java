package dev.dossier.node.chaincode;

import static java.util.Objects.requireNonNull;

import dev.dossier.node.ledger.KeyWrite;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * The outcome of simulating one invocation.
 *
 * <p>On success ({@code response.getStatus()} below 400, in practice 200) the read-write set holds exactly one
 * {@code NsReadWriteSet}, for the chaincode's namespace, whose {@code rwset} is a serialized {@code kvrwset.KVRWSet}:
 * reads sorted by key with the committed versions seen (no version for an absent key), range queries in the order
 * they were run, writes sorted by key (the last write of a key wins; a delete has {@code is_delete}).
 *
 * <p>On a chaincode error (status 400 or more; the contract API only returns 500) the message says why and, for a
 * {@code ChaincodeException(message, code)}, the payload is the code in UTF-8. As Fabric discards the simulation of a
 * failed invocation, the read-write set is then empty (no namespace) and there is no event.
 *
 * @param response the chaincode's response
 * @param readWriteSet the transaction's public read-write set
 * @param event the chaincode event with {@code chaincode_id} and {@code tx_id} filled in, or null when the chaincode
 *     set none
 * @param keyWrites the keys the read-write set writes, deletes or changes the metadata of, as {@link KeyWrite#of}
 *     reads them from it (and in its order), which the gateway judges before asking other organisations to endorse
 * @param keysReadAbsent keys of the read-write set's namespace that the simulation read and found without a value
 *     (so without metadata either): the gateway need not read their committed metadata again; may leave keys out
 */
public record Simulation(
        Response response,
        TxReadWriteSet readWriteSet,
        ChaincodeEvent event,
        List<KeyWrite> keyWrites,
        Set<String> keysReadAbsent) {
    /** @throws NullPointerException if {@code response}, {@code readWriteSet}, {@code keyWrites} or {@code
     *     keysReadAbsent} is null */
    public Simulation {
        requireNonNull(response, "response");
        requireNonNull(readWriteSet, "readWriteSet");
        keyWrites = List.copyOf(keyWrites);
        keysReadAbsent = Set.copyOf(keysReadAbsent);
    }

    /**
     * A simulation whose key writes are read back from its read-write set, with no key known absent.
     *
     * @throws IllegalArgumentException if the read-write set is unusable
     */
    public Simulation(Response response, TxReadWriteSet readWriteSet, ChaincodeEvent event) {
        this(response, readWriteSet, event, KeyWrite.of(requireNonNull(readWriteSet, "readWriteSet")), Set.of());
    }

    /** @return whether the chaincode succeeded (status below 400, Fabric's error threshold) */
    public boolean succeeded() {
        return response.getStatus() < ChaincodeRuntime.ERROR_THRESHOLD;
    }
}
