package dev.dossier.node.ledger;

import java.util.Arrays;

/**
 * A committed world-state value with its version: the height (block number, transaction number in block) of the
 * transaction that last wrote it, as Fabric's {@code kvrwset.Version}. The value array is copied in and out.
 */
public final class VersionedValue {
    private final byte[] value;
    private final long blockNumber;
    private final long txNumber;

    public VersionedValue(byte[] value, long blockNumber, long txNumber) {
        this.value = value.clone();
        this.blockNumber = blockNumber;
        this.txNumber = txNumber;
    }

    /** @return a copy of the value bytes */
    public byte[] value() {
        return value.clone();
    }

    public long blockNumber() {
        return blockNumber;
    }

    public long txNumber() {
        return txNumber;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedValue v
                && blockNumber == v.blockNumber
                && txNumber == v.txNumber
                && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(value) + Long.hashCode(blockNumber)) + Long.hashCode(txNumber);
    }

    @Override
    public String toString() {
        return "VersionedValue{" + value.length + " bytes @" + blockNumber + ":" + txNumber + "}";
    }
}
