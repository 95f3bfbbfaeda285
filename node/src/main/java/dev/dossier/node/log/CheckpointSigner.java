package dev.dossier.node.log;

import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteSignature;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.SignedNote;
import dev.dossier.node.identity.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signs checkpoints of the commitment log as C2SP signed notes with a node's own identity (ECDSA P-256, signature type
 * 0x02, key ID from the node certificate's public key), and cosigns checkpoints other nodes signed: the same text with
 * one more signature line. Receipts carry such cosigned checkpoints; {@link NoteVerifier} checks them offline against
 * the consortium's pinned node keys.
 */
public final class CheckpointSigner {
    private final Signer signer;
    private final String keyName;
    private final int keyId;

    /** @param keyName the node's key name in notes, such as its name in the consortium */
    public CheckpointSigner(Signer signer, String keyName) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.keyName = Objects.requireNonNull(keyName, "keyName");
        this.keyId = NoteVerifier.keyId(signer.certificate().getPublicKey());
    }

    /** @return the pinned key that verifies this node's signatures */
    public NoteVerifier.Key verifierKey() {
        return new NoteVerifier.Key(keyName, signer.certificate().getPublicKey());
    }

    /**
     * @param time the checkpoint's time, seconds since the Unix epoch (now)
     * @return the checkpoint of the log at its current size, signed by this node
     */
    public SignedNote sign(String origin, CommitmentLog log, long time) {
        long size = log.size();
        return signNote(new Checkpoint(origin, size, log.root(size), time).text());
    }

    /**
     * @param text a note's text, ending in a newline
     * @return the text signed by this node alone: a checkpoint, or the revocation list's header
     */
    public SignedNote signNote(String text) {
        return SignedNote.of(text, List.of(signature(text)));
    }

    /**
     * Adds this node's signature to a checkpoint another node signed, after checking that it describes this node's
     * own log: same size and same root.
     *
     * @throws IllegalArgumentException if the checkpoint does not match this node's log
     */
    public SignedNote cosign(SignedNote note, CommitmentLog log) throws dev.dossier.common.note.NoteException {
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        if (checkpoint.size() > log.size()
                || !java.util.Arrays.equals(checkpoint.root(), log.root(checkpoint.size()))) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " does not match this node's log: its root"
                    + " at size " + checkpoint.size() + " differs from this node's log's");
        }
        List<NoteSignature> signatures = new ArrayList<>(note.signatures());
        signatures.add(signature(note.text()));
        return SignedNote.of(note.text(), signatures);
    }

    private NoteSignature signature(String text) {
        return new NoteSignature(keyName, keyId, signer.sign(text.getBytes(StandardCharsets.UTF_8)));
    }
}
