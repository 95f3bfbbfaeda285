package dev.dossier.common.receipt;

import dev.dossier.common.note.Checkpoint;
import java.util.Objects;
import java.util.Set;

/**
 * What a verified receipt proves: the commitment was anchored with this entry and is in the consortium's log as of
 * the checkpoint's time, which the named nodes signed. It says nothing about later revocation or supersession: ask a
 * node for the current status to know that.
 *
 * @param commitment the commitment, 64 lowercase hex digits
 * @param entry the entry as anchored (UTF-8 JSON text)
 * @param checkpoint the cosigned checkpoint
 * @param signers the names of the pinned keys whose signatures verified
 */
public record VerifiedReceipt(String commitment, String entry, Checkpoint checkpoint, Set<String> signers) {
    public VerifiedReceipt {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(checkpoint, "checkpoint");
        signers = Set.copyOf(signers);
    }
}
