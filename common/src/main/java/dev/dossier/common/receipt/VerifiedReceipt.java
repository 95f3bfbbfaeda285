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
 * @param entry the entry as in the leaf (UTF-8 JSON text; the public entry for leaf format 2)
 * @param checkpoint the cosigned checkpoint
 * @param signers the names of the pinned keys whose signatures verified
 * @param leafFormat the receipt's leaf format: {@value Receipt#CURRENT_VERSION} (the public entry), or {@value
 *     Receipt#LEGACY_VERSION} (the whole entry as written, from before the public entry)
 */
public record VerifiedReceipt(
        String commitment, String entry, Checkpoint checkpoint, Set<String> signers, int leafFormat) {
    public VerifiedReceipt {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(checkpoint, "checkpoint");
        signers = Set.copyOf(signers);
    }
}
