package dev.dossier.node.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

class BlockHashesTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] filled(int value) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static BlockHeader header(long number, byte[] previousHash, byte[] dataHash) {
        return BlockHeader.newBuilder()
                .setNumber(number)
                .setPreviousHash(ByteString.copyFrom(previousHash))
                .setDataHash(ByteString.copyFrom(dataHash))
                .build();
    }

    @Test
    void headerBytes_block1_isDerSequenceOfIntegerAndTwoOctetStrings() {
        BlockHeader header = header(1, filled(0x11), filled(0x22));

        // SEQUENCE (0x30, 71 bytes) { INTEGER 1 (02 01 01), OCTET STRING 32 x 0x11 (04 20 ...),
        // OCTET STRING 32 x 0x22 (04 20 ...) }
        String expected = "3047" + "020101" + "0420" + "11".repeat(32) + "0420" + "22".repeat(32);
        assertThat(HEX.formatHex(BlockHashes.headerBytes(header))).isEqualTo(expected);
        // SHA-256 of those 73 bytes, computed independently
        assertThat(HEX.formatHex(BlockHashes.headerHash(header)))
                .isEqualTo("2a44e23703a89329b8e1050c1fc8855c2b2e1fd990091e145a5cada75d513896");
    }

    @Test
    void headerBytes_emptyHashesAndNumberZero() {
        BlockHeader header = header(0, new byte[0], new byte[0]);

        assertThat(HEX.formatHex(BlockHashes.headerBytes(header))).isEqualTo("3007" + "020100" + "0400" + "0400");
        assertThat(HEX.formatHex(BlockHashes.headerHash(header)))
                .isEqualTo("1d1c288c6851505be0b47a0f8e7dfb91ab2abe6ad71cef63a3791d14588d1d0e");
    }

    @Test
    void headerBytes_numberIsUnsigned() {
        // 128 needs a leading zero byte to stay positive
        assertThat(HEX.formatHex(BlockHashes.headerBytes(header(128, new byte[0], new byte[0]))))
                .startsWith("3008" + "02020080");
        // 2^64 - 1 (stored as -1 in a Java long) is a 9-byte positive INTEGER
        assertThat(HEX.formatHex(BlockHashes.headerBytes(header(-1L, new byte[0], new byte[0]))))
                .isEqualTo("300f" + "020900ffffffffffffffff" + "0400" + "0400");
    }

    @Test
    void dataHash_isSha256OfConcatenatedEntries() {
        BlockData data = BlockData.newBuilder()
                .addData(ByteString.copyFromUtf8("a"))
                .addData(ByteString.copyFromUtf8("bc"))
                .build();

        assertThat(HEX.formatHex(BlockHashes.dataHash(data)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // SHA-256("abc")
        assertThat(HEX.formatHex(BlockHashes.dataHash(BlockData.getDefaultInstance())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void hashes_returnFreshArrays() {
        BlockHeader header = header(1, filled(1), filled(2));
        byte[] first = BlockHashes.headerHash(header);
        first[0] ^= 1;
        assertThat(BlockHashes.headerHash(header)).isNotEqualTo(first);
    }
}
