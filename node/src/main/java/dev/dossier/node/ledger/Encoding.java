package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Byte encodings of the ledger's column families. Keys sort as RocksDB's bytewise comparator sorts them, which for
 * state keys is the UTF-8 byte order Fabric uses. Version 4 of the format (version 1 had no key metadata; version 2
 * stored each history entry's tx id, timestamp, delete flag and value, which {@link HistoryMigration} drops; version
 * 3 kept each key's metadata in a family of its own, {@code keymeta}, which {@link MetadataMigration} folds into the
 * state):
 *
 * <pre>
 * blocks   key: block number (8 bytes big-endian)          value: serialized common.Block
 * state    key: namespace ‖ 0x00 ‖ key
 *          value: block (8) ‖ tx (8) ‖ len(metadata) (4) ‖ metadata ‖ value, where metadata is a serialized
 *          kvrwset.KVMetadataWrite, key empty, entries sorted by name (the key's metadata, such as its
 *          VALIDATION_PARAMETER; length 0 = none): stored with the value, as Fabric's state database stores them
 * history  key: namespace ‖ 0x00 ‖ len(key) (4) ‖ key ‖ block (8) ‖ tx (8)
 *          value: empty (a pointer: what the transaction wrote is read from its block, as Fabric's history does)
 * txindex  key: txId                                       value: block (8) ‖ tx (4) ‖ validation code (4)
 * meta     key: name (ASCII), see META_*                   value: see META_*
 * </pre>
 *
 * Strings are UTF-8. Namespaces (chaincode names) never contain 0x00, so the first 0x00 of a state key ends the
 * namespace and keys may contain 0x00 (Fabric composite keys do). The history key is length-prefixed so that all
 * entries of one key are contiguous and no other key's entries fall between them.
 */
final class Encoding {
    static final Comparator<byte[]> BYTEWISE = Arrays::compareUnsigned;

    /** meta: the format version of this layout, one byte. */
    static final byte[] META_FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
    /** meta: the number of committed blocks, 8 bytes big-endian; absent = 0. */
    static final byte[] META_HEIGHT = "height".getBytes(StandardCharsets.US_ASCII);
    /** meta: the header hash of the last committed block; absent when there is none. */
    static final byte[] META_LAST_HASH = "last_header_hash".getBytes(StandardCharsets.US_ASCII);

    /**
     * meta: where the blocks come from; absent = this ledger's own ordering, {@link FollowedBlocks#SOURCE} = another
     * system's channel, appended by {@link Ledger#append}.
     */
    static final byte[] META_SOURCE = "source".getBytes(StandardCharsets.US_ASCII);

    static final byte FORMAT_VERSION = 4;

    /** The format before the history index held pointers only; {@link HistoryMigration} upgrades it to 3 at open. */
    static final byte FORMAT_VALUED_HISTORY = 2;

    /** The format that kept key metadata apart from the state; {@link MetadataMigration} upgrades it at open. */
    static final byte FORMAT_SEPARATE_METADATA = 3;

    /**
     * meta, only while {@link MetadataMigration} runs: the last state key it has rewritten in format 4 (rows after it
     * are still in format 3).
     */
    static final byte[] META_MIGRATED_UP_TO = "metadata_migrated_up_to".getBytes(StandardCharsets.US_ASCII);

    /** The value of every history entry: the key says which transaction of which block wrote the key. */
    static final byte[] HISTORY_VALUE = new byte[0];

    private Encoding() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if the namespace is empty or contains 0x00 */
    static byte[] namespace(String namespace) {
        byte[] ns = utf8(namespace);
        checkNamespace(ns);
        return ns;
    }

    /** @throws IllegalArgumentException if the namespace is empty or contains 0x00 */
    static void checkNamespace(byte[] ns) {
        if (ns.length == 0) {
            throw new IllegalArgumentException("namespace is empty");
        }
        for (byte b : ns) {
            if (b == 0) {
                throw new IllegalArgumentException("namespace contains 0x00");
            }
        }
    }

    static byte[] blockKey(long number) {
        return ByteBuffer.allocate(8).putLong(number).array();
    }

    static long blockNumber(byte[] key) {
        if (key.length != 8) {
            throw new IllegalArgumentException("block key is " + key.length + " bytes, not 8");
        }
        return ByteBuffer.wrap(key).getLong();
    }

    // ---- state

    static byte[] stateKey(byte[] ns, byte[] key) {
        byte[] out = new byte[ns.length + 1 + key.length];
        System.arraycopy(ns, 0, out, 0, ns.length);
        System.arraycopy(key, 0, out, ns.length + 1, key.length);
        return out;
    }

    /** @return the smallest key greater than every state key of the namespace */
    static byte[] namespaceEnd(byte[] ns) {
        byte[] out = Arrays.copyOf(ns, ns.length + 1);
        out[ns.length] = 1;
        return out;
    }

    /** @return the index of the separator after the namespace */
    static int separator(byte[] stateKey) {
        for (int i = 0; i < stateKey.length; i++) {
            if (stateKey[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("state key has no namespace separator");
    }

    static String stateNamespace(byte[] stateKey) {
        return new String(stateKey, 0, separator(stateKey), StandardCharsets.UTF_8);
    }

    static String stateKeyName(byte[] stateKey) {
        int sep = separator(stateKey);
        return new String(stateKey, sep + 1, stateKey.length - sep - 1, StandardCharsets.UTF_8);
    }

    /** Bytes of a stored state value before its metadata: block (8), tx (8), length of the metadata (4). */
    private static final int STATE_VALUE_HEAD = 20;

    /**
     * @param metadata the key's stored metadata ({@link #metadataValue}), or null for none
     * @return the stored state value of {@code value} written at version (block, tx)
     */
    static byte[] stateValue(long block, long tx, byte[] metadata, byte[] value) {
        int metadataLength = metadata == null ? 0 : metadata.length;
        ByteBuffer out = ByteBuffer.allocate(STATE_VALUE_HEAD + metadataLength + value.length)
                .putLong(block)
                .putLong(tx)
                .putInt(metadataLength);
        if (metadata != null) {
            out.put(metadata);
        }
        return out.put(value).array();
    }

    /**
     * @return the stored state value {@code stored} with its metadata replaced by {@code metadata} (null: none), its
     *     version and value unchanged
     */
    static byte[] withMetadata(byte[] stored, byte[] metadata) {
        int valueStart = valueStart(stored);
        long[] version = stateVersion(stored);
        return stateValue(version[0], version[1], metadata, Arrays.copyOfRange(stored, valueStart, stored.length));
    }

    /** @return the stored metadata of a stored state value, or null when the key has none */
    static byte[] storedMetadata(byte[] stored) {
        int valueStart = valueStart(stored);
        return valueStart == STATE_VALUE_HEAD ? null : Arrays.copyOfRange(stored, STATE_VALUE_HEAD, valueStart);
    }

    /** @return the stored form of a key's metadata entries, sorted by name; null for none (nothing to store) */
    static byte[] metadataValue(Map<String, ByteString> entries) {
        if (entries.isEmpty()) {
            return null;
        }
        KVMetadataWrite.Builder stored = KVMetadataWrite.newBuilder();
        new TreeMap<>(entries)
                .forEach((name, value) -> stored.addEntries(
                        KVMetadataEntry.newBuilder().setName(name).setValue(value)));
        return stored.build().toByteArray();
    }

    /**
     * @return the metadata entries by name of a stored state value
     * @throws IllegalArgumentException if {@code stored} is too short or its metadata does not decode
     */
    static Map<String, ByteString> decodeMetadata(byte[] stored) {
        int valueStart = valueStart(stored);
        return valueStart == STATE_VALUE_HEAD
                ? Map.of()
                : metadataEntries(ByteBuffer.wrap(stored, STATE_VALUE_HEAD, valueStart - STATE_VALUE_HEAD));
    }

    /**
     * @return the metadata entries by name of stored metadata ({@link #metadataValue})
     * @throws IllegalArgumentException if it does not decode
     */
    static Map<String, ByteString> decodeMetadataEntries(byte[] metadata) {
        return metadataEntries(ByteBuffer.wrap(metadata));
    }

    private static Map<String, ByteString> metadataEntries(ByteBuffer metadata) {
        try {
            Map<String, ByteString> entries = new TreeMap<>();
            for (KVMetadataEntry entry : KVMetadataWrite.parseFrom(metadata).getEntriesList()) {
                entries.put(entry.getName(), entry.getValue());
            }
            return Collections.unmodifiableMap(entries);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("key metadata does not decode: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if {@code stored} is too short to be a stored state value */
    static VersionedValue decodeStateValue(byte[] stored) {
        int valueStart = valueStart(stored);
        long[] version = stateVersion(stored);
        return new VersionedValue(Arrays.copyOfRange(stored, valueStart, stored.length), version[0], version[1]);
    }

    /** @return the version part of a stored state value, without copying the value */
    static long[] stateVersion(byte[] stored) {
        if (stored.length < STATE_VALUE_HEAD) {
            throw new IllegalArgumentException(
                    "state value is " + stored.length + " bytes, less than " + STATE_VALUE_HEAD);
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        return new long[] {in.getLong(), in.getLong()};
    }

    /** @return where the value of a stored state value starts, after its version and metadata */
    private static int valueStart(byte[] stored) {
        if (stored.length < STATE_VALUE_HEAD) {
            throw new IllegalArgumentException(
                    "state value is " + stored.length + " bytes, less than " + STATE_VALUE_HEAD);
        }
        int metadataLength = ByteBuffer.wrap(stored, 16, 4).getInt();
        if (metadataLength < 0 || metadataLength > stored.length - STATE_VALUE_HEAD) {
            throw new IllegalArgumentException("state value of " + stored.length + " bytes claims "
                    + Integer.toUnsignedString(metadataLength) + " bytes of metadata");
        }
        return STATE_VALUE_HEAD + metadataLength;
    }

    /**
     * @return the format 4 state value of a format 3 one ({@code block ‖ tx ‖ value}) and the key's format 3 metadata
     *     (null: none)
     */
    static byte[] format3StateValue(byte[] stored, byte[] metadata) {
        if (stored.length < 16) {
            throw new IllegalArgumentException("format 3 state value is " + stored.length + " bytes, less than 16");
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        return stateValue(in.getLong(), in.getLong(), metadata, Arrays.copyOfRange(stored, 16, stored.length));
    }

    // ---- history

    static byte[] historyPrefix(byte[] ns, byte[] key) {
        return ByteBuffer.allocate(ns.length + 1 + 4 + key.length)
                .put(ns)
                .put((byte) 0)
                .putInt(key.length)
                .put(key)
                .array();
    }

    static byte[] historyKey(byte[] prefix, long block, long tx) {
        return ByteBuffer.allocate(prefix.length + 16)
                .put(prefix)
                .putLong(block)
                .putLong(tx)
                .array();
    }

    /** @return "namespace/key" with the key's control characters escaped, for messages */
    static String describeHistoryKey(byte[] historyKey) {
        try {
            int sep = separator(historyKey);
            ByteBuffer in = ByteBuffer.wrap(historyKey, sep + 1, historyKey.length - sep - 1);
            int len = in.getInt();
            String ns = new String(historyKey, 0, sep, StandardCharsets.UTF_8);
            String key = new String(historyKey, sep + 5, len, StandardCharsets.UTF_8);
            in.position(sep + 5 + len);
            return display(ns, key) + " @" + in.getLong() + ":" + in.getLong();
        } catch (RuntimeException e) {
            return "undecodable history key " + hex(historyKey);
        }
    }

    /** @return the (block, tx) a history key points at */
    static long[] historyPointer(byte[] historyKey) {
        if (historyKey.length < 16) {
            throw new IllegalArgumentException("history key is " + historyKey.length + " bytes, less than 16");
        }
        ByteBuffer in = ByteBuffer.wrap(historyKey, historyKey.length - 16, 16);
        return new long[] {in.getLong(), in.getLong()};
    }

    // ---- tx index

    static byte[] txIndexValue(long block, int tx, TxValidationCode code) {
        return ByteBuffer.allocate(16)
                .putLong(block)
                .putInt(tx)
                .putInt(code.getNumber())
                .array();
    }

    static TxStatus decodeTxIndexValue(byte[] stored) {
        if (stored.length != 16) {
            throw new IllegalArgumentException("tx index value is " + stored.length + " bytes, not 16");
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        long block = in.getLong();
        int tx = in.getInt();
        int number = in.getInt();
        TxValidationCode code = TxValidationCode.forNumber(number);
        if (code == null) {
            throw new IllegalArgumentException("tx index value has unknown validation code " + number);
        }
        return new TxStatus(block, tx, code);
    }

    // ---- display

    /** @return "namespace/key" with control characters of the key escaped as \\uXXXX, for messages */
    static String display(String ns, String key) {
        StringBuilder out =
                new StringBuilder(ns.length() + key.length() + 8).append(ns).append('/');
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String displayStateKey(byte[] stateKey) {
        try {
            return display(stateNamespace(stateKey), stateKeyName(stateKey));
        } catch (RuntimeException e) {
            return "undecodable state key " + hex(stateKey);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
