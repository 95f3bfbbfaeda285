package dev.dossier.node.chaincode;

import static dev.dossier.node.chaincode.InMemoryState.kv;
import static dev.dossier.node.chaincode.TestIdentities.invocation;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.chaincode.NotaryContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaincodeRuntimeJarTest {
    private static final String HEX = "0123456789abcdef".repeat(4);

    @TempDir
    Path tmp;

    private final InMemoryState state = new InMemoryState();

    /** The chaincode module's classes as a jar: its jar when the build packaged it, else its classes in a new jar. */
    private Path notaryJar() throws IOException, URISyntaxException {
        Path location = Path.of(NotaryContract.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        if (Files.isRegularFile(location)) {
            return location;
        }
        return jar(location, tmp.resolve("dossier-chaincode.jar"));
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    private static String classPathOf(Class<?>... types) throws URISyntaxException {
        StringBuilder cp = new StringBuilder();
        for (Class<?> type : types) {
            if (cp.length() > 0) {
                cp.append(java.io.File.pathSeparator);
            }
            cp.append(Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return cp.toString();
    }

    @Test
    void load_notaryFromChaincodeJar_anchorsAndLeavesLoggingAsItWas() throws Exception {
        Logger root = Logger.getLogger("");
        Handler[] handlers = root.getHandlers();
        List<Formatter> formatters =
                Stream.of(handlers).map(Handler::getFormatter).toList();
        List<Level> levels = Stream.of(handlers).map(Handler::getLevel).toList();
        String format = System.getProperty("java.util.logging.SimpleFormatter.format");

        ChaincodeRuntime runtime = ChaincodeRuntime.load("notary", notaryJar());

        assertThat(root.getHandlers()).containsExactly(handlers);
        assertThat(Stream.of(handlers).map(Handler::getFormatter).toList()).isEqualTo(formatters);
        assertThat(Stream.of(handlers).map(Handler::getLevel).toList()).isEqualTo(levels);
        assertThat(System.getProperty("java.util.logging.SimpleFormatter.format"))
                .isEqualTo(format);
        assertThat(Logger.getLogger("org.hyperledger.fabric.contract.ContractRouter")
                        .isLoggable(Level.INFO))
                .isFalse();

        Simulation s = runtime.simulate(state, invocation("anchor", HEX, "document"));

        assertThat(s.response().getStatus()).isEqualTo(200);
        assertThat(kv(s.readWriteSet()).getWrites(0).getKey()).isEqualTo(HEX);
        assertThat(s.readWriteSet().getNsRwset(0).getNamespace()).isEqualTo("notary");
        assertThat(s.event().getEventName()).isEqualTo(NotaryContract.ANCHORED_EVENT);
        assertThat(runtime.toString()).contains("[notary]");
        // only the jar's contracts are registered, not the test contracts on the node's class path
        assertThat(runtime.simulate(state, invocation("probe:whoami"))
                        .response()
                        .getStatus())
                .isEqualTo(500);
    }

    @Test
    void load_contractOnlyInJar_runsInTheJarsClassLoader() throws Exception {
        Path src = tmp.resolve("src/demo/jaronly/EchoContract.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package demo.jaronly;

                import org.hyperledger.fabric.contract.Context;
                import org.hyperledger.fabric.contract.ContractInterface;
                import org.hyperledger.fabric.contract.annotation.Contract;
                import org.hyperledger.fabric.contract.annotation.Default;
                import org.hyperledger.fabric.contract.annotation.Transaction;

                @Contract(name = "jaronly")
                @Default
                public class EchoContract implements ContractInterface {
                    @Transaction(intent = Transaction.TYPE.EVALUATE)
                    public String echo(Context ctx, String text) {
                        return text + " from " + getClass().getClassLoader().getName()
                                + " tccl " + Thread.currentThread().getContextClassLoader().getName();
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(
                null,
                errors,
                errors,
                "-proc:none",
                "-d",
                classes.toString(),
                "-classpath",
                classPathOf(ContractInterface.class, ChaincodeEvent.class),
                src.toString());
        assertThat(rc).as(errors.toString(UTF_8)).isZero();

        ChaincodeRuntime runtime = ChaincodeRuntime.load("echo", jar(classes, tmp.resolve("echo.jar")));
        Simulation s = runtime.simulate(state, invocation("echo", "hi"));
        Simulation metadata = runtime.simulate(state, invocation("org.hyperledger.fabric:GetMetadata"));

        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("hi from chaincode-echo tccl chaincode-echo");
        assertThat(metadata.response().getPayload().toStringUtf8()).contains("\"name\":\"jaronly\"");
    }

    @Test
    void load_jarWithoutContract_throwsNamingTheJar() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(dir.resolve("readme.txt"), "no contracts here");
        Path jar = jar(dir, tmp.resolve("no-contract.jar"));

        assertThatThrownBy(() -> ChaincodeRuntime.load("empty", jar))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessageContaining(jar.toString())
                .hasMessageContaining("@Contract");
    }

    @Test
    void load_missingOrCorruptJar_throws() throws Exception {
        Path missing = tmp.resolve("missing.jar");
        Path corrupt = Files.writeString(tmp.resolve("corrupt.jar"), "not a zip");

        assertThatThrownBy(() -> ChaincodeRuntime.load("missing", missing))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> ChaincodeRuntime.load("corrupt", corrupt))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessageContaining(corrupt.toString());
    }
}
