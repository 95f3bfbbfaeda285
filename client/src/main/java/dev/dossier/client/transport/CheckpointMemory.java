package dev.dossier.client.transport;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.file.AtomicFile;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.witness.SplitViewException;
import dev.dossier.common.witness.Witness;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a verifier remembers of each consortium log: the latest checkpoint it accepted, as the signed note it was
 * given, one file per log origin ({@code <directory>/<origin, URL-encoded>.note}). A new checkpoint is accepted only if
 * it is consistent with the remembered one ({@link Witness#check}); a larger one then replaces it (written atomically).
 * The files hold only public data (checkpoints); a split view leaves the remembered note in place, as evidence.
 *
 * <pre>{@code
 * CheckpointMemory memory = CheckpointMemory.at(configDirectory.resolve("checkpoints"));
 * CheckpointMemory.Outcome outcome = memory.accept(note, nodeApi::consistencyProof); // throws SplitViewException
 * }</pre>
 */
public final class CheckpointMemory {
    private final Path directory;

    private CheckpointMemory(Path directory) {
        this.directory = directory;
    }

    /** @return the memory kept in {@code directory} (created when the first checkpoint is remembered) */
    public static CheckpointMemory at(Path directory) {
        return new CheckpointMemory(requireNonNull(directory, "directory"));
    }

    /** What accepting a checkpoint did. */
    public enum Kind {
        /** No checkpoint of this log was remembered: this one is now. */
        FIRST,
        /** The same checkpoint (size and root) as the remembered one. */
        SAME,
        /** Proved to extend the remembered one, which it now replaces. */
        NEWER,
        /** Proved a prefix of the remembered one, which stays. */
        OLDER,
        /** Of another size, and no consistency proof could be had: neither accepted as consistent nor remembered. */
        UNCHECKED
    }

    /**
     * @param kind what happened
     * @param remembered the checkpoint remembered afterwards
     * @param detail for a person: what was checked, or why it could not be
     */
    public record Outcome(Kind kind, Checkpoint remembered, String detail) {
        public Outcome {
            requireNonNull(kind, "kind");
            requireNonNull(remembered, "remembered");
            requireNonNull(detail, "detail");
        }
    }

    /** @return the file that holds the remembered checkpoint of the log {@code origin} */
    public Path file(String origin) {
        return directory.resolve(URLEncoder.encode(requireNonNull(origin, "origin"), StandardCharsets.UTF_8) + ".note");
    }

    /**
     * @return the remembered checkpoint note of the log {@code origin}, if any
     * @throws IOException if the file cannot be read or does not hold a checkpoint note
     */
    public Optional<SignedNote> remembered(String origin) throws IOException {
        Path file = file(origin);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SignedNote note = SignedNote.parse(Files.readString(file, StandardCharsets.UTF_8));
            Checkpoint.parse(note.text());
            return Optional.of(note);
        } catch (NoteException e) {
            throw new IOException(file + " does not hold a checkpoint note: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts a checkpoint whose signatures the caller verified against the pinned keys, if it is consistent with the
     * remembered checkpoint of its log; remembers it if it is the first or proved newer.
     *
     * @param note the checkpoint's signed note
     * @param proofs where to get consistency proofs (a node; one that fails gives {@link Kind#UNCHECKED})
     * @throws SplitViewException if the checkpoint is inconsistent with the remembered one
     * @throws IOException if the memory cannot be read or written
     * @throws InterruptedException if interrupted while asking for a proof
     */
    public Outcome accept(SignedNote note, Witness.ProofSource proofs)
            throws SplitViewException, IOException, InterruptedException {
        requireNonNull(note, "note");
        requireNonNull(proofs, "proofs");
        Checkpoint presented;
        try {
            presented = Checkpoint.parse(note.text());
        } catch (NoteException e) {
            throw new IllegalArgumentException("not a checkpoint note: " + e.getMessage(), e);
        }
        Optional<SignedNote> stored = remembered(presented.origin());
        if (stored.isEmpty()) {
            store(presented.origin(), note);
            return new Outcome(Kind.FIRST, presented, "first checkpoint of " + presented.origin() + " remembered");
        }
        Checkpoint remembered;
        try {
            remembered = Checkpoint.parse(stored.get().text());
        } catch (NoteException e) {
            throw new AssertionError("checked when read", e);
        }
        if (!remembered.origin().equals(presented.origin())) {
            throw new IOException(file(presented.origin()) + " holds a checkpoint of " + remembered.origin());
        }
        Witness.Relation relation;
        try {
            relation = Witness.check(remembered, presented, proofs);
        } catch (IOException e) {
            return new Outcome(
                    Kind.UNCHECKED,
                    remembered,
                    "consistency with the checkpoint of " + remembered.size() + " leaves accepted before not checked ("
                            + e.getMessage() + ")");
        }
        switch (relation) {
            case NEWER:
                store(presented.origin(), note);
                return new Outcome(
                        Kind.NEWER,
                        presented,
                        "proved to extend the checkpoint of " + remembered.size() + " leaves accepted before");
            case OLDER:
                return new Outcome(
                        Kind.OLDER,
                        remembered,
                        "proved a prefix of the checkpoint of " + remembered.size() + " leaves accepted before");
            default:
                return new Outcome(Kind.SAME, remembered, "the checkpoint accepted before");
        }
    }

    private void store(String origin, SignedNote note) throws IOException {
        Files.createDirectories(directory);
        AtomicFile.write(file(origin), note.format());
    }
}
