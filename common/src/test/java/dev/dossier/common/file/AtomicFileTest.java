package dev.dossier.common.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path directory;

    @Test
    void write_createsTheFile_thenReplacesItsWholeContent_leavingNoTemporaryFile() throws IOException {
        Path file = directory.resolve("state.txt");

        AtomicFile.write(file, "first content, longer than the second\n");
        AtomicFile.write(file, "è second\n");

        assertThat(Files.readAllBytes(file)).isEqualTo("è second\n".getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void write_givesTheFileTheAttributesAsked() throws IOException {
        Path file = directory.resolve("secret.yaml");

        AtomicFile.write(file, "x", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
    }

    @Test
    void write_intoAMissingDirectory_failsAndCreatesNothing() {
        Path file = directory.resolve("missing").resolve("state.txt");

        assertThatThrownBy(() -> AtomicFile.write(file, "x")).isInstanceOf(IOException.class);
        assertThat(directory.resolve("missing")).doesNotExist();
    }

    @Test
    void write_overADirectory_failsAndKeepsIt_removingTheTemporaryFile() throws IOException {
        Path taken = Files.createDirectory(directory.resolve("taken"));
        Files.writeString(taken.resolve("inside"), "kept");

        assertThatThrownBy(() -> AtomicFile.write(taken, "x")).isInstanceOf(IOException.class);

        assertThat(taken.resolve("inside")).hasContent("kept");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(taken);
        }
    }
}
