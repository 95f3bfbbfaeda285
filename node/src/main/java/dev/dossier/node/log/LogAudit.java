package dev.dossier.node.log;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.ledger.LedgerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Re-derives a stopped node's commitment log from its blocks, in a scratch directory, and compares it with the log the
 * node kept: same size, same root, and the same data and index for every leaf (what receipts are built from). Since receipts are proofs against that root, a log that cannot be re-derived
 * from the blocks would make every receipt of the node suspect.
 */
public final class LogAudit {
    private LogAudit() {}

    /** The outcome: the number of leaves and root of the re-derived log, and a problem (empty when they agree). */
    public record Report(long size, String root, String problem) {
        public boolean clean() {
            return problem.isEmpty();
        }
    }

    /**
     * @param ledgerDirectory the node's ledger (the node must be stopped)
     * @param logDirectory the node's commitment log
     * @param namespace the notary chaincode's name
     * @throws IOException if the ledger or a log cannot be read
     */
    public static Report audit(Path ledgerDirectory, Path logDirectory, String namespace)
            throws IOException, LedgerException {
        Path scratch =
                Files.createTempDirectory(ledgerDirectory.toAbsolutePath().getParent(), "log-audit");
        try (Ledger ledger = Ledger.open(ledgerDirectory);
                CommitmentLog derived = CommitmentLog.open(scratch, namespace)) {
            for (long number = 0; number < ledger.height(); number++) {
                long n = number;
                derived.apply(ledger.block(n).orElseThrow(() -> new IOException("ledger has no block " + n)));
            }
            HexFormat hex = HexFormat.of();
            String root = hex.formatHex(derived.root(derived.size()));
            if (!Files.isDirectory(logDirectory)) {
                return new Report(derived.size(), root, "the node has no commitment log in " + logDirectory);
            }
            try (CommitmentLog kept = CommitmentLog.open(logDirectory, namespace)) {
                if (kept.appliedHeight() != ledger.height() || kept.size() != derived.size()) {
                    return new Report(
                            derived.size(),
                            root,
                            "the node's log holds " + kept.size() + " leaves from " + kept.appliedHeight()
                                    + " blocks; the blocks give " + derived.size() + " leaves from " + ledger.height());
                }
                byte[] keptRoot = kept.root(kept.size());
                if (!MessageDigest.isEqual(keptRoot, derived.root(derived.size()))) {
                    return new Report(
                            derived.size(),
                            root,
                            "the node's log root " + hex.formatHex(keptRoot) + " differs from the root re-derived"
                                    + " from the blocks " + root);
                }
                for (long index = 0; index < derived.size(); index++) {
                    byte[] leaf = derived.leafData(index);
                    byte[] keptLeaf = kept.leafData(index);
                    byte[] commitment = Arrays.copyOf(leaf, LogLeaves.COMMITMENT_BYTES);
                    if (!MessageDigest.isEqual(keptLeaf, leaf)
                            || kept.indexOf(commitment).orElse(-1) != index) {
                        return new Report(
                                derived.size(),
                                root,
                                "the node's log keeps other data or another index for leaf " + index + " (commitment "
                                        + hex.formatHex(commitment) + ") than the blocks give");
                    }
                }
            }
            return new Report(derived.size(), root, "");
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
