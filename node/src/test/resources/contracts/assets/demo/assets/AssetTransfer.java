package demo.assets;

import com.owlike.genson.Genson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;

/**
 * A Fabric Java contract written as Fabric's samples are (Genson for state, chaincode events, a composite-key index of
 * assets by owner), packaged in a thin jar without Genson.
 */
@Contract(name = "basic", info = @Info(title = "Asset transfer", version = "0.0.1"))
@Default
public final class AssetTransfer implements ContractInterface {
    private static final String OWNER_INDEX = "owner~asset";

    private final Genson genson = new Genson();

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public Asset CreateAsset(
            final Context ctx,
            final String assetID,
            final String color,
            final int size,
            final String owner,
            final int appraisedValue) {
        ChaincodeStub stub = ctx.getStub();
        if (!stub.getStringState(assetID).isEmpty()) {
            throw new ChaincodeException("the asset " + assetID + " already exists", "ASSET_ALREADY_EXISTS");
        }
        Asset asset = new Asset(assetID, color, size, owner, appraisedValue);
        put(stub, asset);
        stub.setEvent("AssetCreated", genson.serialize(asset).getBytes(StandardCharsets.UTF_8));
        return asset;
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public Asset ReadAsset(final Context ctx, final String assetID) {
        return read(ctx.getStub(), assetID);
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String TransferAsset(final Context ctx, final String assetID, final String newOwner) {
        ChaincodeStub stub = ctx.getStub();
        Asset asset = read(stub, assetID);
        stub.delState(stub.createCompositeKey(OWNER_INDEX, asset.getOwner(), assetID).toString());
        Asset transferred =
                new Asset(assetID, asset.getColor(), asset.getSize(), newOwner, asset.getAppraisedValue());
        put(stub, transferred);
        stub.setEvent("AssetTransferred", genson.serialize(transferred).getBytes(StandardCharsets.UTF_8));
        return asset.getOwner();
    }

    /** The owner's assets, found through the composite-key index, as a Genson JSON array. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String AssetsByOwner(final Context ctx, final String owner) throws Exception {
        ChaincodeStub stub = ctx.getStub();
        List<Asset> assets = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> index = stub.getStateByPartialCompositeKey(OWNER_INDEX, owner)) {
            for (KeyValue entry : index) {
                CompositeKey key = stub.splitCompositeKey(entry.getKey());
                assets.add(read(stub, key.getAttributes().get(1)));
            }
        }
        return genson.serialize(assets);
    }

    private void put(final ChaincodeStub stub, final Asset asset) {
        stub.putStringState(asset.getAssetID(), genson.serialize(asset));
        stub.putState(
                stub.createCompositeKey(OWNER_INDEX, asset.getOwner(), asset.getAssetID()).toString(), new byte[] {0});
    }

    private Asset read(final ChaincodeStub stub, final String assetID) {
        String json = stub.getStringState(assetID);
        if (json.isEmpty()) {
            throw new ChaincodeException("the asset " + assetID + " does not exist", "ASSET_NOT_FOUND");
        }
        return genson.deserialize(json, Asset.class);
    }
}
