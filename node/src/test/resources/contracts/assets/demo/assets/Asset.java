package demo.assets;

import com.owlike.genson.annotation.JsonProperty;
import java.util.Objects;
import org.hyperledger.fabric.contract.annotation.DataType;
import org.hyperledger.fabric.contract.annotation.Property;

/** An asset as Fabric's asset-transfer samples define it: serialised with Genson, described by the shim's metadata. */
@DataType
public final class Asset {
    @Property
    private final String assetID;

    @Property
    private final String color;

    @Property
    private final int size;

    @Property
    private final String owner;

    @Property
    private final int appraisedValue;

    public Asset(
            @JsonProperty("assetID") final String assetID,
            @JsonProperty("color") final String color,
            @JsonProperty("size") final int size,
            @JsonProperty("owner") final String owner,
            @JsonProperty("appraisedValue") final int appraisedValue) {
        this.assetID = assetID;
        this.color = color;
        this.size = size;
        this.owner = owner;
        this.appraisedValue = appraisedValue;
    }

    public String getAssetID() {
        return assetID;
    }

    public String getColor() {
        return color;
    }

    public int getSize() {
        return size;
    }

    public String getOwner() {
        return owner;
    }

    public int getAppraisedValue() {
        return appraisedValue;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Asset a
                && assetID.equals(a.assetID)
                && color.equals(a.color)
                && size == a.size
                && owner.equals(a.owner)
                && appraisedValue == a.appraisedValue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(assetID, color, size, owner, appraisedValue);
    }
}
