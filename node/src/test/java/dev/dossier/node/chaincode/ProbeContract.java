package dev.dossier.node.chaincode;

import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/** A test contract exercising the stub through the shim's contract router. */
@Contract(name = "probe")
public final class ProbeContract implements ContractInterface {
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public void put(final Context ctx, final String key, final String value) {
        ctx.getStub().putStringState(key, value);
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public void own(final Context ctx, final String owner, final String asset) {
        ChaincodeStub stub = ctx.getStub();
        stub.putStringState(stub.createCompositeKey("owner", owner, asset).toString(), asset);
    }

    /** Returns the keys of at most {@code max} entries of [start, end), comma-separated. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String scan(final Context ctx, final String start, final String end, final String max) {
        List<String> keys = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = ctx.getStub().getStateByRange(start, end)) {
            for (KeyValue kv : it) {
                keys.add(kv.getKey());
                if (keys.size() == Integer.parseInt(max)) {
                    break;
                }
            }
        }
        return String.join(",", keys);
    }

    /** Returns the assets of an owner, comma-separated, found by partial composite key. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String owned(final Context ctx, final String owner) {
        ChaincodeStub stub = ctx.getStub();
        List<String> assets = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey("owner", owner)) {
            for (KeyValue kv : it) {
                assets.add(stub.splitCompositeKey(kv.getKey()).getAttributes().get(1));
            }
        }
        return String.join(",", assets);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String whoami(final Context ctx) {
        ChaincodeStub stub = ctx.getStub();
        return ctx.getClientIdentity().getMSPID() + "|" + stub.getMspId() + "|" + stub.getChannelId() + "|"
                + stub.getTxId();
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public void fail(final Context ctx, final String message) {
        throw new ChaincodeException(message, "PROBE_FAILED");
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public void boom(final Context ctx) {
        throw new IllegalStateException("probe exploded");
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public void badKey(final Context ctx) {
        ctx.getStub().putStringState("a\ud800", "x");
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public void putThenFail(final Context ctx, final String key) {
        ctx.getStub().putStringState(key, "x");
        ctx.getStub().setEvent("Never", null);
        throw new ChaincodeException("changed my mind", "PROBE_FAILED");
    }
}
