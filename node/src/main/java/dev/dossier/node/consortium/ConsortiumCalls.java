package dev.dossier.node.consortium;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import dev.dossier.node.chaincode.Simulation;
import dev.dossier.node.ledger.StateEntry;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.ledger.VersionedValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * A call to the consortium's namespace simulated at endorsement, as a chaincode's would be: {@link
 * ConsortiumChanges#run} against the committed state, its reads recorded with their versions (so a change that
 * commits first makes a concurrent vote an MVCC conflict) and its writes sorted by key. Also the read-only {@code
 * proposals} call, which lists the pending proposals (a range read the commit never needs).
 */
public final class ConsortiumCalls {
    /** At most this many pending proposals are listed. */
    static final int MAX_LISTED = 100;

    private static final int OK = 200;
    private static final int ERROR = 500;

    private ConsortiumCalls() {}

    /** @return the simulation of the call, failed (status 500, the reason as message) when it is refused */
    public static Simulation simulate(StateReader state, List<ByteString> args, ConsortiumChanges.Caller caller) {
        if (!args.isEmpty() && args.get(0).toStringUtf8().equals("proposals")) {
            return answer(proposals(state), TxReadWriteSet.newBuilder().build());
        }
        Map<String, Optional<VersionedValue>> reads = new TreeMap<>();
        ConsortiumChanges.Outcome outcome = ConsortiumChanges.run(
                args.stream().map(ByteString::toByteArray).toList(),
                caller,
                key -> reads.computeIfAbsent(key, k -> state.get(ConsortiumChanges.NAMESPACE, k))
                        .map(VersionedValue::value));
        if (outcome instanceof ConsortiumChanges.Outcome.Refused refused) {
            return new Simulation(
                    Response.newBuilder()
                            .setStatus(ERROR)
                            .setMessage(refused.reason())
                            .build(),
                    TxReadWriteSet.newBuilder().build(),
                    null);
        }
        ConsortiumChanges.Outcome.Done done = (ConsortiumChanges.Outcome.Done) outcome;
        KVRWSet.Builder set = KVRWSet.newBuilder();
        reads.forEach((key, value) -> {
            KVRead.Builder read = KVRead.newBuilder().setKey(key);
            value.ifPresent(v -> read.setVersion(
                    Version.newBuilder().setBlockNum(v.blockNumber()).setTxNum(v.txNumber())));
            set.addReads(read);
        });
        done.writes()
                .forEach((key, value) -> set.addWrites(
                        value == null
                                ? KVWrite.newBuilder().setKey(key).setIsDelete(true)
                                : KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFrom(value))));
        TxReadWriteSet rwset = TxReadWriteSet.newBuilder()
                .setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder()
                        .setNamespace(ConsortiumChanges.NAMESPACE)
                        .setRwset(set.build().toByteString()))
                .build();
        return answer(done.answer(), rwset);
    }

    private static Simulation answer(String json, TxReadWriteSet rwset) {
        return new Simulation(
                Response.newBuilder()
                        .setStatus(OK)
                        .setPayload(ByteString.copyFromUtf8(json))
                        .build(),
                rwset,
                null);
    }

    /** @return the pending proposals: {@code [{"hash":..,"sequence":..,"votes":[..],"document":{..}}, ...]} */
    private static String proposals(StateReader state) {
        StringBuilder out = new StringBuilder("[");
        String prefix = ConsortiumChanges.PROPOSAL_PREFIX;
        List<StateEntry> entries = state.range(
                ConsortiumChanges.NAMESPACE, prefix, prefix.substring(0, prefix.length() - 1) + "0", MAX_LISTED);
        for (StateEntry entry : entries) {
            String hash = entry.key().substring(prefix.length());
            String stored = new String(entry.value().value(), UTF_8);
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"hash\":\"")
                    .append(hash)
                    .append("\",\"proposal\":")
                    .append(stored)
                    .append('}');
        }
        return out.append(']').toString();
    }
}
