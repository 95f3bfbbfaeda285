package dev.dossier.node.ledger;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.common.hash.Sha256;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Hyperledger Fabric's block hashes, bit for bit (Fabric {@code protoutil.BlockHeaderHash} and
 * {@code protoutil.ComputeBlockDataHash}), so that blocks written by this ledger chain exactly as a Fabric peer's do.
 *
 * <ul>
 *   <li>header hash = SHA-256 of the DER encoding of {@code SEQUENCE { INTEGER number, OCTET STRING previous_hash,
 *       OCTET STRING data_hash }}, the number encoded as an unsigned (non-negative) integer;
 *   <li>data hash = SHA-256 of the concatenation of the block's data entries, in order, with no separator.
 * </ul>
 *
 * <p>Both return a new 32-byte array. Example: {@code BlockHashes.headerHash(block.getHeader())} is the value the
 * next block carries as {@code previous_hash}.
 */
public final class BlockHashes {
    private BlockHashes() {}

    /**
     * @return SHA-256 of {@link #headerBytes(BlockHeader) the DER-encoded header}
     * @throws NullPointerException if {@code header} is null
     */
    public static byte[] headerHash(BlockHeader header) {
        return Sha256.newDigest().digest(headerBytes(header));
    }

    /**
     * @return the DER encoding of {@code SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING
     *     data_hash }} that {@link #headerHash} hashes (Fabric {@code protoutil.BlockHeaderBytes})
     * @throws NullPointerException if {@code header} is null
     */
    public static byte[] headerBytes(BlockHeader header) {
        requireNonNull(header, "header");
        BigInteger number = new BigInteger(Long.toUnsignedString(header.getNumber()));
        ASN1Encodable[] fields = {
            new ASN1Integer(number),
            new DEROctetString(header.getPreviousHash().toByteArray()),
            new DEROctetString(header.getDataHash().toByteArray())
        };
        try {
            return new DERSequence(fields).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new AssertionError("DER encoding of a block header cannot fail", e);
        }
    }

    /**
     * @return SHA-256 of the concatenation of {@code data}'s entries
     * @throws NullPointerException if {@code data} is null
     */
    public static byte[] dataHash(BlockData data) {
        requireNonNull(data, "data");
        MessageDigest digest = Sha256.newDigest();
        for (ByteString entry : data.getDataList()) {
            digest.update(entry.asReadOnlyByteBuffer());
        }
        return digest.digest();
    }
}
