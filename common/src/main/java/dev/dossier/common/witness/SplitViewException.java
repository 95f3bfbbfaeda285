package dev.dossier.common.witness;

import dev.dossier.common.note.Checkpoint;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Two checkpoints of one log that cannot both be true: the log presented a split view. Both checkpoints are kept, as
 * evidence (each was signed by the consortium's nodes when it was accepted). Immutable.
 */
public final class SplitViewException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Checkpoint remembered;
    private final transient Checkpoint presented;

    /**
     * @param remembered the checkpoint the verifier accepted before
     * @param presented the checkpoint now presented
     * @param detail why they are inconsistent
     */
    public SplitViewException(Checkpoint remembered, Checkpoint presented, String detail) {
        super("split view: the log " + presented.origin() + " presented a checkpoint of " + presented.size()
                + " leaves with root " + hex(presented) + ", inconsistent with the checkpoint of " + remembered.size()
                + " leaves with root " + hex(remembered) + " accepted before: " + Objects.requireNonNull(detail));
        this.remembered = remembered;
        this.presented = presented;
    }

    /** @return the checkpoint accepted before */
    public Checkpoint remembered() {
        return remembered;
    }

    /** @return the checkpoint refused */
    public Checkpoint presented() {
        return presented;
    }

    private static String hex(Checkpoint checkpoint) {
        return HexFormat.of().formatHex(checkpoint.root());
    }
}
