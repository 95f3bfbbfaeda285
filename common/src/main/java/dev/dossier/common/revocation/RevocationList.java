package dev.dossier.common.revocation;

import dev.dossier.common.hash.Sha256;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The signed offline revocation list (format v1, docs/card.md): which commitments the ledger holds as revoked or
 * superseded, as their first {@value #PREFIX_BYTES} bytes, with the ledger height and block time it reflects and a
 * version that grows with every change. A full list has {@code since 0}; a delta holds the entries that became revoked
 * or superseded after version {@code since}, and {@link #applying} brings a list up to date with it.
 *
 * <p>Wire form: a 4-byte big-endian length {@code L}, then {@code L} bytes of a C2SP signed note (UTF-8) whose text is
 * the header below, then the entries: the revoked prefixes, then the superseded prefixes, each section sorted
 * ascending (as unsigned bytes) without repeats, {@value #PREFIX_BYTES} bytes each. The header's {@code entries} line
 * is the base64 SHA-256 of the entry bytes, so the note's signature covers them.
 *
 * <pre>{@code
 * dossier/revocations/v1
 * origin dossier/dossier/notary
 * version 12
 * since 0
 * height 57
 * time 1767000000
 * prefix 8
 * revoked 9
 * superseded 3
 * entries <base64 SHA-256 of the entry bytes>
 * }</pre>
 *
 * <p>{@link #read} accepts a list only if a node key of the verifier's trust file signed it (one node suffices: each
 * node builds the list from its own copy of the blocks) and it names the trust file's origin. A list merged from
 * verified pieces is kept by the verifier in the same layout without signatures ({@link #stored}, {@link
 * #readStored}).
 *
 * <p>A card or record whose digest is not on the list matches an entry by chance with probability {@code n / 2^64}
 * for {@code n} entries: 5.4 × 10⁻¹⁵ for 100,000 (a false REVOKED, never a missed revocation).
 */
public final class RevocationList {
    /** The first line of a list's header. */
    public static final String FORMAT = "dossier/revocations/v1";
    /** Bytes of a commitment kept per entry. */
    public static final int PREFIX_BYTES = 8;
    /** The longest header note accepted (its text and signatures). */
    static final int MAX_NOTE_BYTES = 16 << 10;

    /** The status a list gives a commitment. */
    public enum Status {
        REVOKED,
        SUPERSEDED
    }

    private final String origin;
    private final long version;
    private final long since;
    private final long height;
    private final long time;
    private final long[] revoked;
    private final long[] superseded;

    /**
     * @param origin the log's origin, as the trust file names it
     * @param version the list's version: the number of changes it reflects
     * @param since 0 for a full list, else the version a delta follows
     * @param height the ledger height (number of blocks) it reflects
     * @param time the newest block's time, seconds since the Unix epoch
     * @param revoked prefixes of revoked commitments, sorted ascending as unsigned numbers, without repeats
     * @param superseded prefixes of superseded commitments, sorted likewise
     * @throws IllegalArgumentException if a value is out of range or a section is not sorted
     */
    public RevocationList(
            String origin, long version, long since, long height, long time, long[] revoked, long[] superseded) {
        this.origin = Objects.requireNonNull(origin, "origin");
        if (origin.isBlank() || origin.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("origin must be a non-empty line of text");
        }
        if (version < 0 || since < 0 || since > version || height < 0 || time < 0) {
            throw new IllegalArgumentException("version " + version + ", since " + since + ", height " + height
                    + ", time " + time + ": none negative, since at most version");
        }
        this.version = version;
        this.since = since;
        this.height = height;
        this.time = time;
        this.revoked = sorted("revoked", revoked.clone());
        this.superseded = sorted("superseded", superseded.clone());
    }

    private static long[] sorted(String section, long[] prefixes) {
        for (int i = 1; i < prefixes.length; i++) {
            if (Long.compareUnsigned(prefixes[i - 1], prefixes[i]) >= 0) {
                throw new IllegalArgumentException(
                        "the " + section + " entries are not sorted ascending without repeats at entry " + i);
            }
        }
        return prefixes;
    }

    /** @return the first {@value #PREFIX_BYTES} bytes of a commitment or digest, as an unsigned number */
    public static long prefix(byte[] commitment) {
        if (commitment.length < PREFIX_BYTES) {
            throw new IllegalArgumentException("a commitment has at least " + PREFIX_BYTES + " bytes");
        }
        return ByteBuffer.wrap(commitment, 0, PREFIX_BYTES).getLong();
    }

    /** @return REVOKED or SUPERSEDED if the list holds the commitment's prefix (revoked first), else null */
    public Status statusOf(byte[] commitment) {
        long prefix = prefix(commitment);
        if (contains(revoked, prefix)) {
            return Status.REVOKED;
        }
        return contains(superseded, prefix) ? Status.SUPERSEDED : null;
    }

    private static boolean contains(long[] sorted, long prefix) {
        int low = 0;
        int high = sorted.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Long.compareUnsigned(sorted[middle], prefix);
            if (order == 0) {
                return true;
            } else if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return false;
    }

    public String origin() {
        return origin;
    }

    /** @return the number of changes the list reflects; a delta from here asks {@code ?since=} this */
    public long version() {
        return version;
    }

    /** @return 0 for a full list, else the version this delta follows */
    public long since() {
        return since;
    }

    /** @return the ledger height (number of blocks) the list reflects */
    public long height() {
        return height;
    }

    /** @return the time of the newest block the list reflects */
    public Instant time() {
        return Instant.ofEpochSecond(time);
    }

    /** @return how many revoked and superseded entries the list holds */
    public int size() {
        return revoked.length + superseded.length;
    }

    /** @return how many entries are revoked */
    public int revokedCount() {
        return revoked.length;
    }

    /**
     * Brings this list up to date with a delta that follows it: the entries of both, the delta's version, height and
     * time. The result is a full list ({@code since 0}).
     *
     * @throws RevocationListException if the delta is of another log or does not follow this list's version
     */
    public RevocationList applying(RevocationList delta) throws RevocationListException {
        if (!delta.origin.equals(origin)) {
            throw new RevocationListException(
                    "the delta is of log " + delta.origin + ", the list of " + origin + ": not applied");
        }
        if (delta.since != version) {
            throw new RevocationListException("the delta follows version " + delta.since + ", but the list is at"
                    + " version " + version + ": not applied; fetch the full list");
        }
        return new RevocationList(
                origin,
                delta.version,
                0,
                delta.height,
                delta.time,
                union(revoked, delta.revoked),
                union(superseded, delta.superseded));
    }

    private static long[] union(long[] a, long[] b) {
        long[] out = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            long next;
            if (j == b.length || i < a.length && Long.compareUnsigned(a[i], b[j]) <= 0) {
                next = a[i++];
            } else {
                next = b[j++];
            }
            if (n == 0 || out[n - 1] != next) {
                out[n++] = next;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** @return the header text a node signs as a note: format, origin, version, since, height, time, counts, digest */
    public String headerText() {
        return FORMAT + "\n" + "origin " + origin + "\n" + "version " + version + "\n" + "since " + since + "\n"
                + "height " + height + "\n" + "time " + time + "\n" + "prefix " + PREFIX_BYTES + "\n" + "revoked "
                + revoked.length + "\n" + "superseded " + superseded.length + "\n" + "entries "
                + java.util.Base64.getEncoder().encodeToString(Sha256.of(entries())) + "\n";
    }

    /** @return the entry bytes: the revoked prefixes, then the superseded ones */
    private byte[] entries() {
        ByteBuffer out = ByteBuffer.allocate(PREFIX_BYTES * size());
        for (long prefix : revoked) {
            out.putLong(prefix);
        }
        for (long prefix : superseded) {
            out.putLong(prefix);
        }
        return out.array();
    }

    /**
     * @param note a signed note of {@link #headerText()}
     * @return the list's wire form, as {@code GET /v1/revocations} sends it
     * @throws IllegalArgumentException if the note's text is not this list's header
     */
    public byte[] wire(SignedNote note) {
        if (!note.text().equals(headerText())) {
            throw new IllegalArgumentException("the note does not sign this list's header");
        }
        return frame(note.format());
    }

    /** @return the list in the wire layout, its header without signatures: for the verifier's own storage */
    public byte[] stored() {
        return frame(headerText());
    }

    private byte[] frame(String note) {
        byte[] text = note.getBytes(StandardCharsets.UTF_8);
        byte[] entries = entries();
        return ByteBuffer.allocate(4 + text.length + entries.length)
                .putInt(text.length)
                .put(text)
                .put(entries)
                .array();
    }

    /**
     * Reads a list or delta as a node sent it, accepting it only if a node key of {@code trust} signed it and it names
     * the trust file's origin.
     *
     * @throws RevocationListException saying what is wrong: malformed, signed by no key of the trust file, a bad
     *     signature, another log, entries that do not match the signed header
     */
    public static RevocationList read(byte[] wire, TrustFile trust) throws RevocationListException {
        Objects.requireNonNull(trust, "trust");
        WireFormat.Framed framed = WireFormat.unframe(wire);
        SignedNote note;
        try {
            note = SignedNote.parse(framed.note());
        } catch (NoteException e) {
            throw new RevocationListException("the revocation list's header is not a signed note: " + e.getMessage());
        }
        Set<String> signers;
        try {
            signers = new NoteVerifier(trust.keys(), 1).verify(note);
        } catch (NoteException e) {
            throw new RevocationListException(
                    "revocation list refused, it is not signed by a node of the trust file:" + " " + e.getMessage());
        }
        RevocationList list = WireFormat.parse(note.text(), framed.entries());
        if (!list.origin.equals(trust.origin())) {
            throw new RevocationListException("revocation list refused: it is of log " + list.origin
                    + ", the trust file's is " + trust.origin() + " (signed by " + signers + ")");
        }
        return list;
    }

    /**
     * Reads a list kept by {@link #stored}: no signature, but the entries must match the header.
     *
     * @throws RevocationListException if it is malformed
     */
    public static RevocationList readStored(byte[] stored) throws RevocationListException {
        WireFormat.Framed framed = WireFormat.unframe(stored);
        return WireFormat.parse(framed.note(), framed.entries());
    }

    @Override
    public String toString() {
        return "RevocationList[" + origin + " version " + version + (since == 0 ? "" : " since " + since) + ", height "
                + height + ", " + revoked.length + " revoked, " + superseded.length + " superseded]";
    }
}
