package dev.dossier.node.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What a backup holds, written as {@code backup.json} beside its copies: the node it was taken from, the height of its
 * ledger copy (every block below it), and when.
 *
 * @param format the format of the backup directory, {@link #FORMAT}
 * @param channel the channel of the ledger
 * @param node the name of the node in the consortium
 * @param mspId the node's organisation
 * @param height the number of blocks in the ledger copy
 * @param createdAt when the ledger was copied, ISO-8601 UTC ({@link Instant#toString})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupManifest(int format, String channel, String node, String mspId, long height, String createdAt) {
    /** The backup directory's format this code writes and reads. */
    public static final int FORMAT = 1;
    /** The manifest's file name in a backup directory. */
    public static final String FILE_NAME = "backup.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public BackupManifest {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** @return the manifest as one line of JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a backup manifest", e);
        }
    }

    /**
     * @return the manifest in {@code json}
     * @throws IllegalArgumentException if it is not a manifest of format {@link #FORMAT}
     */
    public static BackupManifest fromJson(String json) {
        BackupManifest manifest;
        try {
            manifest = JSON.readValue(json, BackupManifest.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a backup manifest: " + e.getMessage(), e);
        }
        if (manifest == null || manifest.format() != FORMAT) {
            throw new IllegalArgumentException("backup format "
                    + (manifest == null ? "missing" : manifest.format()) + " is not supported (expected " + FORMAT
                    + ")");
        }
        return manifest;
    }

    /**
     * @return the manifest of the backup in {@code directory}
     * @throws IOException if there is none or it cannot be read, naming the file
     */
    public static BackupManifest read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(directory + " is not a backup: it has no " + FILE_NAME);
        }
        try {
            return fromJson(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
