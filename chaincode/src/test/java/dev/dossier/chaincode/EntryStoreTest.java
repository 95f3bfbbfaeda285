package dev.dossier.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.json.Json;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.junit.jupiter.api.Test;

class EntryStoreTest {
    private static final String COMMITMENT = "ab".repeat(32);
    private static final String SUBJECT = "cd".repeat(32);

    private static LedgerEntry entry(String mspId) {
        return LedgerEntry.parse("{\"anchoredAt\":\"2025-03-01T09:30:00Z\",\"commitment\":\"" + COMMITMENT
                + "\",\"issuerId\":\"CN=Issuer\",\"kind\":\"record\",\"mspId\":" + Json.write(mspId)
                + ",\"schemaVersion\":1,\"status\":\"active\",\"subject\":\"" + SUBJECT + "\"}");
    }

    @Test
    void subjectIndexKey_isTheShimsCompositeKey() {
        assertThat(EntryStore.subjectIndexKey(entry("Org1MSP")))
                .isEqualTo("\u0000subject\u0000" + SUBJECT + "\u0000Org1MSP\u0000" + COMMITMENT + "\u0000")
                .isEqualTo(new CompositeKey("subject", SUBJECT, "Org1MSP", COMMITMENT).toString());
    }

    @Test
    void subjectIndexKey_mspIdHoldingADelimiter_isRefusedAsTheShimRefusesIt() {
        assertThatThrownBy(() -> EntryStore.subjectIndexKey(entry("Org1\u0000MSP")))
                .isInstanceOf(IllegalArgumentException.class)
                .extracting(e -> e.getClass().getSimpleName())
                .isEqualTo("CompositeKeyFormatException");
        assertThatThrownBy(() -> EntryStore.subjectIndexKey(entry("Org1" + Character.toString(0x10FFFF) + "MSP")))
                .isInstanceOf(IllegalArgumentException.class)
                .extracting(e -> e.getClass().getSimpleName())
                .isEqualTo("CompositeKeyFormatException");
    }
}
