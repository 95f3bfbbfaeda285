package dev.dossier.common.card;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A card's text: {@value #PREFIX} and the Base45 (RFC 9285) of a tagged COSE_Sign1 (RFC 9052) whose payload is the
 * card's CWT claims (RFC 8392), signed with ES256 ({@code docs/card.md} has every byte):
 *
 * <pre>{@code
 * 18([ << {1: -7, 4: h'<8-byte key id>'} >>, {}, << {1: "Org1MSP", 6: 1750000000, -65537: {facts}} >>, h'<r || s>' ])
 * }</pre>
 *
 * <p>The key id is in the protected header and the unprotected header must be empty, so every byte but those of the
 * key id is covered by the signature: a changed byte gives a card that does not decode or does not verify. No zlib:
 * measured on a typical card, zlib saved 34 of 308 bytes, 11 % (the signature, key id and commitment, a third of the card, do not
 * compress), not worth a second format.
 */
public final class CardCodec {
    /** The text's prefix: the card format's name and version; Base45 and the prefix are QR alphanumeric. */
    public static final String PREFIX = "DC1:";

    /** The longest card text a decoder reads: about what a QR code of version 40 holds in alphanumeric mode. */
    public static final int MAX_TEXT = 4296;

    static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private static final long COSE_SIGN1_TAG = 18;
    private static final long HEADER_ALG = 1;
    private static final long HEADER_KID = 4;
    private static final long ES256 = -7;

    /** Makes the 64-byte {@code r || s} ES256 signature (low S) of the bytes it is given. */
    @FunctionalInterface
    public interface Signer {
        byte[] sign(byte[] toBeSigned);
    }

    /**
     * A decoded card, not yet verified.
     *
     * @param bytes the COSE_Sign1 bytes the text encodes (what {@link CardVerifier#digest} hashes)
     * @param protectedHeader the protected header's bytes
     * @param keyId the 8-byte key id
     * @param payload the payload's bytes (CWT claims)
     * @param signature the 64-byte signature {@code r || s}
     */
    record Cose(byte[] bytes, byte[] protectedHeader, byte[] keyId, byte[] payload, byte[] signature) {
        byte[] toBeSigned() {
            return CardCodec.toBeSigned(protectedHeader, payload);
        }
    }

    private CardCodec() {}

    /**
     * Signs a card.
     *
     * @param card the facts
     * @param keyId the signing key's 8-byte id ({@link CardKey#keyId()})
     * @param signer the signing key
     * @return the card's text, {@value #PREFIX} and Base45
     * @throws IllegalArgumentException if the key id is not 8 bytes or the signature not 64
     */
    public static String encode(Card card, byte[] keyId, Signer signer) {
        return sign(PREFIX, card.claims(), keyId, signer);
    }

    /**
     * Signs a worker's safety card ({@link WorkerCard}): the same COSE_Sign1 and key, behind {@value
     * WorkerCard#PREFIX}.
     *
     * @return the worker's card's text, {@value WorkerCard#PREFIX} and Base45
     * @throws IllegalArgumentException if the key id is not 8 bytes or the signature not 64
     */
    public static String encode(WorkerCard card, byte[] keyId, Signer signer) {
        return sign(WorkerCard.PREFIX, card.claims(), keyId, signer);
    }

    /** Signs CWT claims into a COSE_Sign1 and writes it as {@code prefix} and Base45. */
    private static String sign(String prefix, Map<Long, Object> claims, byte[] keyId, Signer signer) {
        if (keyId.length != 8) {
            throw new IllegalArgumentException("key id must be 8 bytes, not " + keyId.length);
        }
        byte[] protectedHeader = Cbor.encode(Map.of(HEADER_ALG, ES256, HEADER_KID, keyId.clone()));
        byte[] payload = Cbor.encode(claims);
        byte[] signature = signer.sign(toBeSigned(protectedHeader, payload));
        if (signature.length != 64) {
            throw new IllegalArgumentException("an ES256 signature is 64 bytes (r || s), not " + signature.length);
        }
        byte[] cose =
                Cbor.encode(new Cbor.Tagged(COSE_SIGN1_TAG, List.of(protectedHeader, Map.of(), payload, signature)));
        return prefix + Base45.encode(cose);
    }

    /** The COSE {@code Sig_structure} of a COSE_Sign1: {@code ["Signature1", protected, h'', payload]}. */
    static byte[] toBeSigned(byte[] protectedHeader, byte[] payload) {
        return Cbor.encode(List.of("Signature1", protectedHeader, new byte[0], payload));
    }

    /** Decodes a card's text ({@value #PREFIX}) into its COSE parts: {@link #decode(String, String)}. */
    static Cose decode(String text) {
        return decode(text, PREFIX);
    }

    /**
     * Decodes the text of a card of the given prefix into its COSE parts, strictly: the prefix, Base45, the deterministic CBOR subset, tag 18,
     * a protected header of exactly alg ES256 and an 8-byte key id, an empty unprotected header, a 64-byte signature.
     *
     * @throws IllegalArgumentException saying which part is wrong
     */
    static Cose decode(String text, String prefix) {
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("longer than " + MAX_TEXT + " characters");
        }
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException(
                    text.startsWith(prefix.substring(0, 2)) && text.indexOf(':') > 2
                            ? "card format " + text.substring(0, text.indexOf(':')) + " is not " + prefix
                                    + " (a newer page?)"
                            : "it does not start with " + prefix);
        }
        byte[] bytes = Base45.decode(text.substring(prefix.length()));
        try {
            Object decoded = Cbor.decode(bytes);
            if (!(decoded instanceof Cbor.Tagged tagged) || tagged.tag() != COSE_SIGN1_TAG) {
                throw new IllegalArgumentException("not a tagged COSE_Sign1 (tag 18)");
            }
            if (!(tagged.value() instanceof List<?> parts) || parts.size() != 4) {
                throw new IllegalArgumentException("COSE_Sign1 is not an array of 4");
            }
            byte[] protectedHeader = bytes(parts.get(0), "protected header");
            if (!(parts.get(1) instanceof Map<?, ?> unprotected) || !unprotected.isEmpty()) {
                throw new IllegalArgumentException("unprotected header is not an empty map");
            }
            byte[] payload = bytes(parts.get(2), "payload");
            byte[] signature = bytes(parts.get(3), "signature");
            if (signature.length != 64) {
                throw new IllegalArgumentException("signature is " + signature.length + " bytes, not 64");
            }
            Object header = Cbor.decode(protectedHeader);
            if (!(header instanceof Map<?, ?> map)
                    || map.size() != 2
                    || !Long.valueOf(ES256).equals(map.get(HEADER_ALG))) {
                throw new IllegalArgumentException("protected header is not {1: -7 (ES256), 4: key id}");
            }
            byte[] keyId = bytes(map.get(HEADER_KID), "key id");
            if (keyId.length != 8) {
                throw new IllegalArgumentException("key id is " + keyId.length + " bytes, not 8");
            }
            return new Cose(bytes, protectedHeader, keyId, payload, signature);
        } catch (Cbor.CborException e) {
            throw new IllegalArgumentException("CBOR: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Object value, String what) {
        if (!(value instanceof byte[] bytes)) {
            throw new IllegalArgumentException(what + " is not a byte string");
        }
        return bytes;
    }
}
