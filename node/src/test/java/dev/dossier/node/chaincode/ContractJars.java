package dev.dossier.node.chaincode;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Contract jars made in a test: Java sources compiled with javac against given libraries and put in a thin jar. */
public final class ContractJars {
    private ContractJars() {}

    /**
     * Compiles {@code sources} (file path under the source root, such as {@code demo/Echo.java}, to its text) against
     * the jars or folders that hold {@code libraries}, and writes the classes the filter keeps into {@code jar}: the
     * libraries themselves are never in it, as in a thin contract jar.
     *
     * @param work a folder of its own for sources and classes
     * @return {@code jar}
     * @throws IllegalStateException with javac's messages if the sources do not compile
     */
    public static Path compile(
            Path work, Path jar, Map<String, String> sources, Predicate<String> keep, Class<?>... libraries)
            throws IOException {
        Path sourceRoot = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> arguments =
                new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-classpath", classPathOf(libraries)));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (javac.run(null, errors, errors, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed:\n" + errors.toString(UTF_8));
        }
        return jar(classes, jar, keep);
    }

    /** Writes the files of {@code folder} that {@code keep} accepts (by their path in the jar) into {@code jar}. */
    public static Path jar(Path folder, Path jar, Predicate<String> keep) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out);
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = folder.relativize(file).toString().replace('\\', '/');
                if (keep.test(name)) {
                    jarOut.putNextEntry(new JarEntry(name));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
        }
        return jar;
    }

    /** @return the class path of the jars or folders {@code types} were loaded from */
    public static String classPathOf(Class<?>... types) {
        List<String> entries = new ArrayList<>();
        for (Class<?> type : types) {
            try {
                entries.add(Path.of(type.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString());
            } catch (URISyntaxException e) {
                throw new UncheckedIOException(new IOException("no class path entry for " + type, e));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
