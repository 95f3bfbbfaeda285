package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.node.identity.Identity;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.ledger.BlockHashes;
import dev.dossier.node.ledger.BlockSeal;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * A node's signature over a block, as a Fabric orderer writes it into the block's SIGNATURES metadata entry: a
 * {@code MetadataSignature} whose {@code signature_header} is a serialized {@code SignatureHeader} (the node's
 * serialized identity as creator, a fresh 24-byte nonce) and whose {@code signature} is the node's ECDSA P-256
 * signature over
 *
 * <pre>
 * SIGNATURES metadata value ‖ signature_header ‖ DER block header (BlockHashes.headerBytes)
 * </pre>
 *
 * which is what Fabric's block signature verifier checks. The header bytes cover the block number, the previous
 * block's hash and the data hash; the value covers the consenter metadata (for Raft, the log position).
 */
public final class BlockSignatures {
    private static final int NONCE_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private BlockSignatures() {}

    /**
     * @param unsigned a block whose SIGNATURES entry holds its final value
     * @return the signer's signature over it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the block's SIGNATURES entry is missing or does not decode
     */
    public static MetadataSignature sign(Signer signer, Block unsigned) {
        requireNonNull(signer, "signer");
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        ByteString header = SignatureHeader.newBuilder()
                .setCreator(signer.serializedIdentity())
                .setNonce(ByteString.copyFrom(nonce))
                .build()
                .toByteString();
        byte[] message = signedBytes(BlockSeal.signaturesMetadata(unsigned).getValue(), header, unsigned);
        return MetadataSignature.newBuilder()
                .setSignatureHeader(header)
                .setSignature(ByteString.copyFrom(signer.sign(message)))
                .build();
    }

    /**
     * Verifies every signature of the block's SIGNATURES entry.
     *
     * @param signers resolves a signature's creator (a serialized identity) to the identity allowed to sign blocks,
     *     or null if that creator may not sign blocks
     * @return the identities that signed, in order
     * @throws SignatureException naming the block and the signature that does not verify or whose creator is not
     *     allowed; also if the block has no signature
     * @throws IllegalArgumentException if the block's SIGNATURES entry is missing or does not decode
     */
    public static List<Identity> verify(Block block, Function<ByteString, Identity> signers) throws SignatureException {
        requireNonNull(signers, "signers");
        long number = block.getHeader().getNumber();
        Metadata metadata = BlockSeal.signaturesMetadata(block);
        if (metadata.getSignaturesCount() == 0) {
            throw new SignatureException("block " + number + " is not signed");
        }
        List<Identity> out = new ArrayList<>();
        for (int i = 0; i < metadata.getSignaturesCount(); i++) {
            MetadataSignature signature = metadata.getSignatures(i);
            SignatureHeader header;
            try {
                header = SignatureHeader.parseFrom(signature.getSignatureHeader());
            } catch (InvalidProtocolBufferException e) {
                throw new SignatureException("block " + number + " signature " + i + ": header does not decode", e);
            }
            Identity signer = signers.apply(header.getCreator());
            if (signer == null) {
                throw new SignatureException(
                        "block " + number + " signature " + i + ": signer is not a node of the consortium");
            }
            try {
                signer.verify(
                        signedBytes(metadata.getValue(), signature.getSignatureHeader(), block),
                        signature.getSignature().toByteArray());
            } catch (SignatureException e) {
                throw new SignatureException(
                        "block " + number + " signature " + i + " by " + signer + ": " + e.getMessage(), e);
            }
            out.add(signer);
        }
        return out;
    }

    private static byte[] signedBytes(ByteString value, ByteString signatureHeader, Block block) {
        return value.concat(signatureHeader)
                .concat(ByteString.copyFrom(BlockHashes.headerBytes(block.getHeader())))
                .toByteArray();
    }
}
