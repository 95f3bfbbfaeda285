package dev.dossier.crypto;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A PEM or X.509 file that cannot be read or does not hold what was asked of it: the one error of {@link Pem}'s
 * readers. The message is {@code <file>: <problem>}.
 */
public final class PemException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    PemException(Path file, String problem, Throwable cause) {
        super(requireNonNull(file, "file") + ": " + requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** @return the file that was read */
    public Path file() {
        return file;
    }

    /** @return what is wrong with it, such as {@code "not a PEM X.509 certificate"} */
    public String problem() {
        return problem;
    }
}
