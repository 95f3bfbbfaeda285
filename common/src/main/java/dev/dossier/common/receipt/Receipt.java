package dev.dossier.common.receipt;

import dev.dossier.common.merkle.ProofVerificationException;
import dev.dossier.common.merkle.Proofs;
import dev.dossier.common.merkle.Rfc9162;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.text.StrictUtf8;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A receipt: proof that a commitment is in a consortium's commitment log, checkable offline. It holds the leaf index,
 * the RFC 9162 inclusion proof up to a checkpoint, the entry as anchored, and that checkpoint cosigned by the nodes.
 *
 * <p><b>Leaf (format v2, current).</b> The leaf input is the 32 commitment bytes followed by the <em>public entry</em>:
 * the public members of the entry the anchoring transaction wrote under the commitment's key, as canonical JSON (UTF-8,
 * RFC 8785: members sorted, no whitespace) holding only those of {@code anchoredAt, commitment, kind, mspId,
 * revocationReason, revokedAt, schemaVersion, status, supersededBy, supersedes, validUntil} that are present with a
 * string value ({@code schemaVersion}: an integer); an entry that is not a JSON object gives {@code {}}. It carries the
 * anchoring organisation, never the issuing person's name (DN) nor the subject pseudonym, so receipts of one worker do
 * not link. Every node derives it from the block alone (see the node's {@code PublicEntry}, with golden vectors). The
 * receipt authenticates the kind, anchoring organisation, time and validity as anchored; later revocation is not in
 * the log.
 *
 * <p><b>Leaf (format v1, legacy).</b> The commitment bytes followed by the exact entry bytes written, including the
 * issuer's DN and the subject pseudonym. Logs of this format are rebuilt in format v2 by the nodes; receipts issued
 * before still verify against their own checkpoint ({@link #leafFormat()} says 1).
 *
 * <p><b>Compact form</b>, base64url without padding of: version byte ({@code 2}, or {@code 1} for a leaf of format
 * v1); the 32 commitment bytes; leaf index and tree size (unsigned 64-bit, big-endian); the number of proof hashes
 * (one byte, at most {@value #MAX_PROOF}) and the hashes (32 bytes each); the entry (16-bit big-endian length, then its
 * bytes); the cosigned checkpoint in C2SP signed-note wire form (16-bit big-endian length, then its UTF-8 bytes).
 * Nothing may follow. This is what a certificate's QR code carries. The leaf is the commitment followed by the entry in
 * both versions; the version says what the entry holds.
 *
 * <p>Immutable; byte arrays are copied in and out.
 *
 * <pre>{@code
 * VerifiedReceipt verified = Receipt.decode(text).verify(TrustFile.parse(trustText));
 * }</pre>
 */
public final class Receipt {
    /** Proof hashes of a tree of up to 2^63 leaves. */
    static final int MAX_PROOF = 63;

    /** Compact form and leaf format of the receipts the nodes issue: the public entry. */
    public static final int CURRENT_VERSION = 2;

    /** Compact form and leaf format of receipts issued before version 2: the whole entry as written. */
    public static final int LEGACY_VERSION = 1;

    private static final int MAX_FIELD = 0xFFFF;
    private static final HexFormat HEX = HexFormat.of();

    private final int version;
    private final byte[] commitment;
    private final long leafIndex;
    private final long treeSize;
    private final List<byte[]> proof;
    private final byte[] entry;
    private final String checkpoint;

    private Receipt(
            int version,
            byte[] commitment,
            long leafIndex,
            long treeSize,
            List<byte[]> proof,
            byte[] entry,
            String checkpoint) {
        this.version = version;
        this.commitment = commitment;
        this.leafIndex = leafIndex;
        this.treeSize = treeSize;
        this.proof = proof;
        this.entry = entry;
        this.checkpoint = checkpoint;
    }

    /**
     * A receipt of the current version ({@value #CURRENT_VERSION}).
     *
     * @param commitment the 32 commitment bytes
     * @param leafIndex the leaf's index in the log
     * @param treeSize the size of the checkpoint the proof leads to
     * @param proof the inclusion proof, 32-byte hashes
     * @param entry the public entry as anchored (canonical UTF-8 JSON bytes, leaf format v2)
     * @param checkpoint the cosigned checkpoint, signed-note wire form
     * @throws IllegalArgumentException if a field cannot be encoded (wrong hash length, too long)
     */
    public static Receipt of(
            byte[] commitment, long leafIndex, long treeSize, List<byte[]> proof, byte[] entry, String checkpoint) {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (commitment.length != 32) {
            throw new IllegalArgumentException("commitment must be 32 bytes, not " + commitment.length);
        }
        if (leafIndex < 0 || treeSize < 0) {
            throw new IllegalArgumentException("leaf index and tree size must not be negative");
        }
        if (proof.size() > MAX_PROOF) {
            throw new IllegalArgumentException("proof has " + proof.size() + " hashes, at most " + MAX_PROOF);
        }
        List<byte[]> copied = new ArrayList<>();
        for (byte[] hash : proof) {
            if (hash.length != 32) {
                throw new IllegalArgumentException("proof hashes must be 32 bytes, not " + hash.length);
            }
            copied.add(hash.clone());
        }
        if (entry.length > MAX_FIELD || checkpoint.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD) {
            throw new IllegalArgumentException("entry or checkpoint longer than " + MAX_FIELD + " bytes");
        }
        return new Receipt(
                CURRENT_VERSION,
                commitment.clone(),
                leafIndex,
                treeSize,
                List.copyOf(copied),
                entry.clone(),
                checkpoint);
    }

    /** @return the compact form, base64url without padding */
    public String encode() {
        byte[] note = checkpoint.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out =
                ByteBuffer.allocate(1 + 32 + 8 + 8 + 1 + 32 * proof.size() + 2 + entry.length + 2 + note.length);
        out.put((byte) version)
                .put(commitment)
                .putLong(leafIndex)
                .putLong(treeSize)
                .put((byte) proof.size());
        proof.forEach(out::put);
        out.putShort((short) entry.length).put(entry);
        out.putShort((short) note.length).put(note);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /**
     * Decodes the compact form. Only the layout is checked here; {@link #verify} checks what it proves.
     *
     * @throws ReceiptException if the text is not a compact receipt of version 1 or 2
     */
    public static Receipt decode(String text) throws ReceiptException {
        Objects.requireNonNull(text, "text");
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ReceiptException("receipt is not base64url: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        try {
            int version = in.get();
            if (version != CURRENT_VERSION && version != LEGACY_VERSION) {
                throw new ReceiptException("receipt version " + version + " is not supported (expected "
                        + CURRENT_VERSION + ", or " + LEGACY_VERSION + " for a receipt of before the public entry)");
            }
            byte[] commitment = bytes(in, 32);
            long leafIndex = in.getLong();
            long treeSize = in.getLong();
            if (leafIndex < 0 || treeSize < 0) {
                throw new ReceiptException("receipt leaf index or tree size is beyond 2^63");
            }
            int count = in.get() & 0xFF;
            if (count > MAX_PROOF) {
                throw new ReceiptException("receipt has " + count + " proof hashes, at most " + MAX_PROOF);
            }
            List<byte[]> proof = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                proof.add(bytes(in, 32));
            }
            byte[] entry = bytes(in, in.getShort() & 0xFFFF);
            String note = utf8(bytes(in, in.getShort() & 0xFFFF));
            if (in.hasRemaining()) {
                throw new ReceiptException("receipt has " + in.remaining() + " bytes after its checkpoint");
            }
            return new Receipt(version, commitment, leafIndex, treeSize, List.copyOf(proof), entry, note);
        } catch (BufferUnderflowException e) {
            throw new ReceiptException("receipt is truncated (" + raw.length + " bytes)");
        }
    }

    /**
     * Verifies the receipt offline: the checkpoint is signed by at least the trust file's number of its pinned keys
     * and names its origin; the tree size matches the checkpoint; the inclusion proof leads from the leaf (commitment
     * and entry) to the checkpoint's root.
     *
     * @return what the receipt proves
     * @throws ReceiptException saying which check failed
     */
    public VerifiedReceipt verify(TrustFile trust) throws ReceiptException {
        Objects.requireNonNull(trust, "trust");
        Checkpoint verified;
        Set<String> signers;
        try {
            SignedNote note = SignedNote.parse(checkpoint);
            signers = trust.verifyCheckpoint(note);
            verified = Checkpoint.parse(note.text());
        } catch (NoteException e) {
            throw new ReceiptException("checkpoint: " + e.getMessage(), e);
        }
        if (!verified.origin().equals(trust.origin())) {
            throw new ReceiptException("checkpoint is of log " + verified.origin() + ", not of " + trust.origin());
        }
        if (verified.size() != treeSize) {
            throw new ReceiptException(
                    "receipt tree size " + treeSize + " differs from its checkpoint's size " + verified.size());
        }
        try {
            Proofs.verifyInclusion(leafIndex, treeSize, Rfc9162.leafHash(leafData()), proof, verified.root());
        } catch (ProofVerificationException e) {
            throw new ReceiptException("inclusion proof: " + e.getMessage(), e);
        }
        String entryText;
        try {
            entryText = utf8(entry);
        } catch (ReceiptException e) {
            throw new ReceiptException("entry: " + e.getMessage(), e);
        }
        return new VerifiedReceipt(commitmentHex(), entryText, verified, signers, version);
    }

    /** @return the leaf input: the commitment bytes, then the entry bytes */
    public byte[] leafData() {
        return leafData(commitment, entry);
    }

    /**
     * @return the leaf input for a commitment and its entry (format v2: the public entry; v1: the entry as written)
     */
    public static byte[] leafData(byte[] commitment, byte[] entry) {
        return ByteBuffer.allocate(commitment.length + entry.length)
                .put(commitment)
                .put(entry)
                .array();
    }

    /**
     * @return the version of the compact form and of the leaf format: {@value #CURRENT_VERSION}, or {@value
     *     #LEGACY_VERSION} for a receipt whose entry is the whole entry as written
     */
    public int leafFormat() {
        return version;
    }

    /** @return the commitment, 64 lowercase hex digits */
    public String commitmentHex() {
        return HEX.formatHex(commitment);
    }

    /** @return the 32 commitment bytes (a copy) */
    public byte[] commitment() {
        return commitment.clone();
    }

    public long leafIndex() {
        return leafIndex;
    }

    public long treeSize() {
        return treeSize;
    }

    /** @return the inclusion proof (copies of its hashes) */
    public List<byte[]> proof() {
        return proof.stream().map(byte[]::clone).toList();
    }

    /** @return the entry bytes as in the leaf (a copy) */
    public byte[] entry() {
        return entry.clone();
    }

    /** @return the cosigned checkpoint, signed-note wire form */
    public String checkpoint() {
        return checkpoint;
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private static String utf8(byte[] bytes) throws ReceiptException {
        try {
            return StrictUtf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new ReceiptException("not UTF-8 text");
        }
    }

    @Override
    public String toString() {
        return "Receipt[v" + version + ", " + commitmentHex() + ", leaf " + leafIndex + " of " + treeSize + "]";
    }
}
