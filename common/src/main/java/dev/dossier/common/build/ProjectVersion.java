package dev.dossier.common.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project's version, as Maven wrote it into {@code version.properties} when it built these classes: the same from
 * the jars and from the class directories the launcher runs.
 */
public final class ProjectVersion {
    private static final String RESOURCE = "version.properties";

    private ProjectVersion() {}

    /**
     * @return the project version, such as {@code 0.1.0-SNAPSHOT}
     * @throws IllegalStateException if the build left the version out (classes not built by Maven)
     */
    public static String get() {
        Properties properties = new Properties();
        try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build with Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.startsWith("${")) {
            throw new IllegalStateException(RESOURCE + " holds no version: build with Maven");
        }
        return version;
    }

    /**
     * @param command the command's name, such as {@code dossier-node}
     * @return what {@code command --version} prints: the name and the version
     */
    public static String line(String command) {
        return command + " " + get();
    }
}
