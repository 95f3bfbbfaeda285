package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.dossier.common.hash.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.peer.Endorsement;

/**
 * The most recent signatures this node made (its endorsements) or verified (transactions' creator signatures, at
 * submit), so that validating the same transaction again, at commit, needs no second signature verification: the
 * outcome is the same with or without them, only cheaper. A signature is remembered by the SHA-256 digest it was made
 * over, where the signer's identity lies in the signed bytes, and the signature itself:
 *
 * <ul>
 *   <li>an endorsement signs the response payload followed by the endorser, so it is remembered with the endorser's
 *       length: the digest fixes their concatenation, the length where one ends (the same bytes split elsewhere name
 *       another endorser, and are not found);
 *   <li>a creator signs the transaction's payload, which names the creator in its signature header: the digest fixes
 *       the creator ({@link #CREATOR}).
 * </ul>
 *
 * Finding an entry proves that exactly that signature over exactly those bytes is valid for the identity they name;
 * the identity itself (its certificate at the time judged, its organisation) is still checked by the caller. The
 * digest is the one the signature is made or verified over, so remembering hashes nothing more. Bounded: the oldest
 * entries are forgotten, and a forgotten signature is simply verified again. Thread-safe.
 */
public final class KnownSignatures {
    /** The signer's place for a creator's signature: named inside the signed payload, nothing appended. */
    static final int CREATOR = -1;

    private final Map<ByteString, Boolean> recent;

    public KnownSignatures(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return the SHA-256 digest an endorser signs: of the response payload followed by the endorser */
    static byte[] endorsementDigest(ByteString responsePayload, ByteString endorser) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(responsePayload.asReadOnlyByteBuffer());
        sha.update(endorser.asReadOnlyByteBuffer());
        return sha.digest();
    }

    /** @return the SHA-256 digest a creator signs: of the transaction's payload */
    static byte[] creatorDigest(ByteString payload) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(payload.asReadOnlyByteBuffer());
        return sha.digest();
    }

    /**
     * Remembers an endorsement this node signed.
     *
     * @param signedDigest the digest its signature is over, {@link #endorsementDigest} of its response payload and
     *     endorser
     */
    void addEndorsement(byte[] signedDigest, Endorsement endorsement) {
        add(signedDigest, endorsement.getEndorser().size(), endorsement.getSignature());
    }

    /**
     * @param signedDigest {@link #endorsementDigest} of the endorsed response payload and the endorsement's endorser
     * @return true if this node signed exactly that endorsement of exactly that response payload
     */
    boolean containsEndorsement(byte[] signedDigest, Endorsement endorsement) {
        return contains(signedDigest, endorsement.getEndorser().size(), endorsement.getSignature());
    }

    /**
     * Remembers a valid signature.
     *
     * @param signedDigest the SHA-256 digest the signature is over
     * @param signerLength where the signer's identity lies in the signed bytes: the length of the identity appended
     *     last, or {@link #CREATOR}
     */
    void add(byte[] signedDigest, int signerLength, ByteString signature) {
        ByteString key = key(signedDigest, signerLength, signature);
        synchronized (recent) {
            recent.put(key, Boolean.TRUE);
        }
    }

    /** @return true if exactly this signature over exactly these bytes was remembered as valid ({@link #add}) */
    boolean contains(byte[] signedDigest, int signerLength, ByteString signature) {
        ByteString key = key(signedDigest, signerLength, signature);
        synchronized (recent) {
            return recent.containsKey(key);
        }
    }

    private static ByteString key(byte[] signedDigest, int signerLength, ByteString signature) {
        ByteBuffer key = ByteBuffer.allocate(signedDigest.length + Integer.BYTES + signature.size());
        key.put(signedDigest).putInt(signerLength);
        signature.copyTo(key);
        return UnsafeByteOperations.unsafeWrap(key.array());
    }
}
