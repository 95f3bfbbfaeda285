package dev.dossier.node.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.junit.jupiter.api.Test;

/** Which writes the revocation index counts as a change of status, without a block around them. */
class RevocationIndexTest {
    private static final String C1 = "1".repeat(64);

    private static byte status(String key, String value) {
        return RevocationIndex.status(KVWrite.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFromUtf8(value))
                .build());
    }

    private static String entry(String status) {
        return "{\"commitment\":\"" + C1 + "\",\"mspId\":\"Org1MSP\",\"status\":\"" + status + "\"}";
    }

    @Test
    void revokedAndSupersededEntries_areChanges_activeOnesAreNot() {
        assertThat(status(C1, entry("revoked"))).isEqualTo(RevocationIndex.REVOKED);
        assertThat(status(C1, entry("superseded"))).isEqualTo(RevocationIndex.SUPERSEDED);
        assertThat(status(C1, entry("active"))).isZero();
    }

    @Test
    void statusWrittenWithJsonEscapes_isReadAsTheParserReadsIt() {
        assertThat(status(C1, entry("\\u0072evoked"))).isEqualTo(RevocationIndex.REVOKED);
        assertThat(status(C1, entry("supersede\\u0064"))).isEqualTo(RevocationIndex.SUPERSEDED);
        assertThat(status(C1, "{\"commitment\":\"" + C1 + "\",\"st\\u0061tus\":\"revoked\"}"))
                .isEqualTo(RevocationIndex.REVOKED);
    }

    @Test
    void theWordsElsewhere_orOutsideAnEntry_changeNothing() {
        String activeNamingRevoked =
                "{\"commitment\":\"" + C1 + "\",\"kind\":\"revoked superseded\",\"status\":\"active\"}";
        assertThat(status(C1, activeNamingRevoked)).isZero();
        assertThat(status(C1, "revoked")).isZero();
        assertThat(status("not a commitment", entry("revoked"))).isZero();
        assertThat(RevocationIndex.status(
                        KVWrite.newBuilder().setKey(C1).setIsDelete(true).build()))
                .isZero();
    }
}
