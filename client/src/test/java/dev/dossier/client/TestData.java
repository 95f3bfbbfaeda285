package dev.dossier.client;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared sample data ({@code shared/data} beside the repository). */
public final class TestData {
    private TestData() {}

    /** @return {@code shared/data/<name>}, found by walking up from the working directory */
    public static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
