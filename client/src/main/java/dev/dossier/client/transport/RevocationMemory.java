package dev.dossier.client.transport;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.file.AtomicFile;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.revocation.RevocationListException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The revocation list a verifier keeps for offline use, one file per log origin ({@code <directory>/<origin,
 * URL-encoded>.revocations}): {@link #sync} takes the full list from a node the first time, then only the deltas
 * since the version kept, accepting each only if a node key of the trust file signed it; {@link #load} reads the kept
 * list with no network. The file holds public data only (prefixes of revoked commitments); it is written atomically.
 *
 * <pre>{@code
 * RevocationMemory memory = RevocationMemory.at(configDirectory.resolve("revocations"));
 * RevocationList list = memory.sync(new NodeApi(node), trust); // online
 * Optional<RevocationList> kept = memory.load(trust.origin()); // offline
 * }</pre>
 */
public final class RevocationMemory {
    private final Path directory;

    private RevocationMemory(Path directory) {
        this.directory = directory;
    }

    /** @return the memory kept in {@code directory} (created when the first list is kept) */
    public static RevocationMemory at(Path directory) {
        return new RevocationMemory(requireNonNull(directory, "directory"));
    }

    /** @return the file of the list of {@code origin} */
    public Path file(String origin) {
        return directory.resolve(
                URLEncoder.encode(requireNonNull(origin, "origin"), StandardCharsets.UTF_8) + ".revocations");
    }

    /**
     * @return the list kept for {@code origin}, if any
     * @throws IOException if the file cannot be read or is damaged (delete it: the next sync takes the full list)
     */
    public Optional<RevocationList> load(String origin) throws IOException {
        Path file = file(origin);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RevocationList.readStored(Files.readAllBytes(file)));
        } catch (RevocationListException e) {
            throw new IOException("the revocation list kept in " + file + " is damaged (" + e.getMessage()
                    + "): delete it, the next online check takes the full list again");
        }
    }

    /**
     * Brings the kept list up to date from {@code node}: the delta since its version, or the full list when none is
     * kept or the kept one cannot take the delta.
     *
     * @return the list now kept
     * @throws IOException if the node cannot be reached, or sends a list the trust file does not accept (the message
     *     says why; the kept list stays)
     */
    public RevocationList sync(NodeApi node, TrustFile trust) throws IOException, InterruptedException {
        Optional<RevocationList> kept = load(trust.origin());
        RevocationList list;
        try {
            if (kept.isPresent()) {
                RevocationList delta =
                        RevocationList.read(node.revocations(kept.get().version()), trust);
                list = kept.get().applying(delta);
            } else {
                list = RevocationList.read(node.revocations(0), trust);
            }
        } catch (RevocationListException e) {
            throw new IOException("the revocation list from " + node.base() + " is not used: " + e.getMessage(), e);
        }
        if (kept.isEmpty()
                || list.version() != kept.get().version()
                || list.height() != kept.get().height()) {
            Files.createDirectories(directory);
            AtomicFile.write(file(trust.origin()), list.stored());
        }
        return list;
    }
}
