package dev.dossier.common.card;

import dev.dossier.common.text.StrictUtf8;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subset of CBOR (RFC 8949) a card uses, in its core deterministic encoding (section 4.2.1): integers, byte
 * strings, text strings, arrays, maps with integer keys and tags, every length and argument in its shortest form,
 * definite lengths only, map keys in the bytewise order of their encodings and never repeated. The reader refuses
 * anything else (floats, simple values, indefinite lengths, a longer form, keys out of order, invalid UTF-8, nesting
 * deeper than {@value #MAX_DEPTH}), so a card has exactly one encoding. Our own code rather than a library: common
 * stays JDK-only, as the verifiers of receipts are, and the verify page has the same small decoder
 * ({@code card.mjs}).
 *
 * <p>Values: {@link Long} (an integer; {@link Integer} is accepted when writing), {@code byte[]}, {@link String},
 * {@link List}, {@code Map<Long, Object>} and {@link Tagged}.
 */
final class Cbor {
    /** How deep arrays, maps and tags may nest. */
    static final int MAX_DEPTH = 4;

    /** A tagged value: tag number and content. */
    record Tagged(long tag, Object value) {}

    /** A CBOR item that is malformed or outside the subset; the message says which and where. */
    static final class CborException extends Exception {
        private static final long serialVersionUID = 1L;

        CborException(String message) {
            super(message);
        }
    }

    private Cbor() {}

    /** @return the deterministic encoding of {@code value} */
    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value instanceof Integer i) {
            value = i.longValue();
        }
        if (value instanceof Long n) {
            if (n >= 0) {
                head(out, 0, n);
            } else {
                head(out, 1, -1 - n);
            }
        } else if (value instanceof byte[] bytes) {
            head(out, 2, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            head(out, 3, utf8.length);
            out.writeBytes(utf8);
        } else if (value instanceof List<?> list) {
            head(out, 4, list.size());
            for (Object item : list) {
                write(out, item);
            }
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<byte[], Object> sorted = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                sorted.put(encode(entry.getKey()), entry.getValue());
            }
            head(out, 5, sorted.size());
            for (Map.Entry<byte[], Object> entry : sorted.entrySet()) {
                out.writeBytes(entry.getKey());
                write(out, entry.getValue());
            }
        } else if (value instanceof Tagged tagged) {
            head(out, 6, tagged.tag());
            write(out, tagged.value());
        } else {
            throw new IllegalArgumentException("not a card CBOR value: " + value);
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long argument) {
        int type = major << 5;
        if (argument < 24) {
            out.write(type | (int) argument);
        } else if (argument < 0x100) {
            out.write(type | 24);
            out.write((int) argument);
        } else if (argument < 0x10000) {
            out.write(type | 25);
            out.write((int) (argument >> 8));
            out.write((int) argument & 0xff);
        } else if (argument < 0x100000000L) {
            out.write(type | 26);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) argument).array());
        } else {
            out.write(type | 27);
            out.writeBytes(ByteBuffer.allocate(8).putLong(argument).array());
        }
    }

    /**
     * Decodes one item that must fill {@code bytes} exactly.
     *
     * @throws CborException if the bytes are not one deterministic item of the subset
     */
    static Object decode(byte[] bytes) throws CborException {
        Reader reader = new Reader(bytes);
        Object value = reader.item(0);
        if (reader.at != bytes.length) {
            throw new CborException((bytes.length - reader.at) + " bytes follow the CBOR item");
        }
        return value;
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        Object item(int depth) throws CborException {
            int start = at;
            int initial = next();
            int major = initial >>> 5;
            long argument = argument(initial & 0x1f, start);
            switch (major) {
                case 0:
                    return nonNegative(argument, start);
                case 1:
                    return -1 - nonNegative(argument, start);
                case 2:
                    return take(length(argument, start));
                case 3:
                    return utf8(take(length(argument, start)), start);
                case 4: {
                    int count = length(argument, start);
                    nested(depth, start);
                    List<Object> list = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        list.add(item(depth + 1));
                    }
                    return list;
                }
                case 5: {
                    int count = length(argument, start);
                    nested(depth, start);
                    Map<Long, Object> map = new LinkedHashMap<>();
                    byte[] previous = null;
                    for (int i = 0; i < count; i++) {
                        int keyStart = at;
                        Object key = item(depth + 1);
                        if (!(key instanceof Long k)) {
                            throw new CborException("map key at byte " + keyStart + " is not an integer");
                        }
                        byte[] encoded = Arrays.copyOfRange(bytes, keyStart, at);
                        if (previous != null && Arrays.compareUnsigned(previous, encoded) >= 0) {
                            throw new CborException(
                                    "map key " + k + " at byte " + keyStart + " is repeated or out of order");
                        }
                        previous = encoded;
                        map.put(k, item(depth + 1));
                    }
                    return map;
                }
                case 6:
                    nested(depth, start);
                    return new Tagged(nonNegative(argument, start), item(depth + 1));
                default:
                    throw new CborException("byte " + start + ": floats and simple values are not used in a card");
            }
        }

        private int next() throws CborException {
            if (at >= bytes.length) {
                throw new CborException("CBOR ends early, at byte " + at);
            }
            return bytes[at++] & 0xff;
        }

        private long argument(int info, int start) throws CborException {
            if (info < 24) {
                return info;
            }
            if (info > 27) {
                throw new CborException("byte " + start + ": indefinite length or reserved value " + info);
            }
            int size = 1 << (info - 24);
            long value = 0;
            for (int i = 0; i < size; i++) {
                value = (value << 8) | next();
            }
            long smallest = info == 24 ? 24 : 1L << (8 * size / 2);
            if (Long.compareUnsigned(value, smallest) < 0) {
                throw new CborException("byte " + start + ": argument " + value + " not in its shortest form");
            }
            return value;
        }

        private static long nonNegative(long argument, int start) throws CborException {
            if (argument < 0) {
                throw new CborException("byte " + start + ": integer beyond 63 bits");
            }
            return argument;
        }

        private int length(long argument, int start) throws CborException {
            if (argument < 0 || argument > bytes.length - at) {
                throw new CborException("byte " + start + ": length " + Long.toUnsignedString(argument)
                        + " exceeds the " + (bytes.length - at) + " bytes left");
            }
            return (int) argument;
        }

        private static void nested(int depth, int start) throws CborException {
            if (depth >= MAX_DEPTH) {
                throw new CborException("byte " + start + ": nested deeper than " + MAX_DEPTH);
            }
        }

        private byte[] take(int length) {
            byte[] out = Arrays.copyOfRange(bytes, at, at + length);
            at += length;
            return out;
        }

        private static String utf8(byte[] bytes, int start) throws CborException {
            try {
                return StrictUtf8.decode(bytes);
            } catch (CharacterCodingException e) {
                throw new CborException("byte " + start + ": text string is not UTF-8");
            }
        }
    }
}
