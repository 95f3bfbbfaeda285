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
 * The most recent endorsements this node signed, remembered by the SHA-256 digest it signed (of the response payload
 * followed by the endorser), the endorser's length and the signature, so that validating a transaction this node
 * endorsed needs no second signature verification. Finding an entry proves this node produced exactly that signature
 * over exactly that payload and endorser: the digest fixes their concatenation, the length where one ends. The digest
 * is the one the signature was made over, so remembering an endorsement hashes nothing more. Bounded: the oldest
 * entries are forgotten, and a forgotten endorsement is simply verified again. Thread-safe.
 */
public final class EndorsementLog {
    private final Map<ByteString, Boolean> recent;

    public EndorsementLog(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteString, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @return the SHA-256 digest an endorser signs: of the response payload followed by the endorser */
    static byte[] signedDigest(ByteString responsePayload, ByteString endorser) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(responsePayload.asReadOnlyByteBuffer());
        sha.update(endorser.asReadOnlyByteBuffer());
        return sha.digest();
    }

    /**
     * Remembers an endorsement this node signed.
     *
     * @param signedDigest the digest its signature is over, {@link #signedDigest} of its response payload and endorser
     */
    void add(byte[] signedDigest, Endorsement endorsement) {
        ByteString key = key(signedDigest, endorsement);
        synchronized (recent) {
            recent.put(key, Boolean.TRUE);
        }
    }

    boolean contains(ByteString responsePayload, Endorsement endorsement) {
        ByteString key = key(signedDigest(responsePayload, endorsement.getEndorser()), endorsement);
        synchronized (recent) {
            return recent.containsKey(key);
        }
    }

    private static ByteString key(byte[] signedDigest, Endorsement endorsement) {
        ByteString signature = endorsement.getSignature();
        ByteBuffer key = ByteBuffer.allocate(signedDigest.length + Integer.BYTES + signature.size());
        key.put(signedDigest).putInt(endorsement.getEndorser().size());
        signature.copyTo(key);
        return UnsafeByteOperations.unsafeWrap(key.array());
    }
}
