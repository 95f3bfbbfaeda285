package dev.dossier.node.gateway;

import com.google.protobuf.ByteString;
import dev.dossier.common.hash.Sha256;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.peer.Endorsement;

/**
 * The most recent endorsements this node signed, remembered by the SHA-256 of (response payload, endorser,
 * signature), so that validating a transaction this node endorsed needs no second signature verification. Finding an
 * entry proves this node produced exactly that signature over exactly that payload. Bounded: the oldest entries are
 * forgotten, and a forgotten endorsement is simply verified again. Thread-safe.
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

    void add(ByteString responsePayload, Endorsement endorsement) {
        ByteString key = key(responsePayload, endorsement);
        synchronized (recent) {
            recent.put(key, Boolean.TRUE);
        }
    }

    boolean contains(ByteString responsePayload, Endorsement endorsement) {
        ByteString key = key(responsePayload, endorsement);
        synchronized (recent) {
            return recent.containsKey(key);
        }
    }

    private static ByteString key(ByteString responsePayload, Endorsement endorsement) {
        MessageDigest sha = Sha256.newDigest();
        for (ByteString part :
                new ByteString[] {responsePayload, endorsement.getEndorser(), endorsement.getSignature()}) {
            sha.update(java.nio.ByteBuffer.allocate(Integer.BYTES)
                    .putInt(part.size())
                    .array());
            sha.update(part.asReadOnlyByteBuffer());
        }
        return ByteString.copyFrom(sha.digest());
    }
}
