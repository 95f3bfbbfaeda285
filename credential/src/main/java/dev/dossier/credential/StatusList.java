package dev.dossier.credential;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A W3C Bitstring Status List v1.0: a bitstring of at least {@value #MIN_BITS} bits (the specification's minimum, so
 * that one list hides each credential among 131,072), bit {@code i} being the status of the credential whose {@code
 * statusListIndex} is {@code i}; bit 0 is the most significant bit of the first byte. Encoded as the specification
 * says: GZIP, then multibase base64url without padding ({@code u...}). Decoding is bounded: a list inflating beyond
 * {@value #MAX_BYTES} bytes is refused, so a small compressed list cannot exhaust a verifier's memory.
 */
public final class StatusList {
    /** Bits of every list Dossier serves, the specification's minimum: 16 KiB uncompressed. */
    public static final int MIN_BITS = 131_072;
    /** The most bytes a decoded list may have (16 MiB, 134 million entries). */
    public static final int MAX_BYTES = 16 << 20;

    private final byte[] bits;

    private StatusList(byte[] bits) {
        this.bits = bits;
    }

    /** @return an empty list of {@value #MIN_BITS} bits */
    public static StatusList empty() {
        return new StatusList(new byte[MIN_BITS / 8]);
    }

    /** @return the number of entries */
    public long size() {
        return bits.length * 8L;
    }

    /**
     * Sets bit {@code index}.
     *
     * @throws IndexOutOfBoundsException if it is beyond the list
     */
    public void set(long index) {
        check(index);
        bits[(int) (index >>> 3)] |= (byte) (0x80 >>> (index & 7));
    }

    /**
     * @return whether bit {@code index} is set
     * @throws IndexOutOfBoundsException if it is beyond the list
     */
    public boolean get(long index) {
        check(index);
        return (bits[(int) (index >>> 3)] & (0x80 >>> (index & 7))) != 0;
    }

    private void check(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " is not in a status list of " + size());
        }
    }

    /** @return the {@code encodedList}: GZIP, then multibase base64url */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bits);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return Multibase.base64url(out.toByteArray());
    }

    /**
     * @param encodedList a list's {@code encodedList}
     * @throws IllegalArgumentException if it is not multibase base64url of GZIP, inflates beyond {@value #MAX_BYTES}
     *     bytes, or has fewer than {@value #MIN_BITS} bits
     */
    public static StatusList decode(String encodedList) {
        Objects.requireNonNull(encodedList, "encodedList");
        byte[] compressed = Multibase.decodeBase64url(encodedList);
        ByteArrayOutputStream out = new ByteArrayOutputStream(MIN_BITS / 8);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (out.size() + n > MAX_BYTES) {
                    throw new IllegalArgumentException("the status list inflates beyond " + MAX_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the status list is not GZIP: " + e.getMessage(), e);
        }
        if (out.size() < MIN_BITS / 8) {
            throw new IllegalArgumentException(
                    "the status list has " + out.size() * 8L + " entries, fewer than the " + MIN_BITS + " required");
        }
        return new StatusList(out.toByteArray());
    }

    /**
     * @param id the URL the list is served at
     * @param issuer the DID of the signer
     * @param validFrom when the list was built
     * @return the unsigned {@code BitstringStatusListCredential} of purpose {@code revocation}
     */
    public JsonObject credential(String id, String issuer, Instant validFrom) {
        return Json.createObjectBuilder()
                .add("@context", Json.createArrayBuilder().add(Contexts.VC_V2))
                .add("id", id)
                .add(
                        "type",
                        Json.createArrayBuilder().add("VerifiableCredential").add("BitstringStatusListCredential"))
                .add("issuer", issuer)
                .add("validFrom", validFrom.truncatedTo(ChronoUnit.SECONDS).toString())
                .add(
                        "credentialSubject",
                        Json.createObjectBuilder()
                                .add("id", id + "#list")
                                .add("type", "BitstringStatusList")
                                .add("statusPurpose", "revocation")
                                .add("encodedList", encode()))
                .build();
    }
}
