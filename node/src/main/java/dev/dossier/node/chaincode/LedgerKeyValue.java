package dev.dossier.node.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.hyperledger.fabric.shim.ledger.KeyValue;

/** A key and its committed value, as a range query returns them to the chaincode. The value is copied out. */
final class LedgerKeyValue implements KeyValue {
    private final String key;
    private final byte[] value;

    LedgerKeyValue(String key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public String getKey() {
        return key;
    }

    @Override
    public byte[] getValue() {
        return value.clone();
    }

    @Override
    public String getStringValue() {
        return new String(value, UTF_8);
    }

    @Override
    public String toString() {
        return "KeyValue{" + key + ", " + value.length + " bytes}";
    }
}
