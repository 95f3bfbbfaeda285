package dev.dossier.node.chaincode;

import static dev.dossier.node.chaincode.InMemoryState.kv;
import static dev.dossier.node.chaincode.TestIdentities.invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.chaincode.NotaryContract;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
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
        return ContractJars.jar(location, tmp.resolve("dossier-chaincode.jar"), name -> true);
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
        Path jar = ContractJars.compile(
                tmp.resolve("echo"),
                tmp.resolve("echo.jar"),
                Map.of("demo/jaronly/EchoContract.java", """
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
                        """),
                name -> true,
                ContractInterface.class,
                ChaincodeEvent.class);

        ChaincodeRuntime runtime = ChaincodeRuntime.load("echo", jar);
        Simulation s = runtime.simulate(state, invocation("echo", "hi"));
        Simulation metadata = runtime.simulate(state, invocation("org.hyperledger.fabric:GetMetadata"));

        assertThat(s.response().getPayload().toStringUtf8()).isEqualTo("hi from chaincode-echo tccl chaincode-echo");
        assertThat(metadata.response().getPayload().toStringUtf8()).contains("\"name\":\"jaronly\"");
    }

    private static final String ASSET = """
            package demo.genson;

            import com.owlike.genson.annotation.JsonProperty;
            import org.hyperledger.fabric.contract.annotation.DataType;
            import org.hyperledger.fabric.contract.annotation.Property;

            @DataType
            public final class Asset {
                @Property private final String id;
                @Property private final int size;

                public Asset(@JsonProperty("id") String id, @JsonProperty("size") int size) {
                    this.id = id;
                    this.size = size;
                }

                public String getId() { return id; }
                public int getSize() { return size; }
            }
            """;

    private static final String GENSON_CONTRACT = """
            package demo.genson;

            import com.owlike.genson.Genson;
            import org.hyperledger.fabric.contract.Context;
            import org.hyperledger.fabric.contract.ContractInterface;
            import org.hyperledger.fabric.contract.annotation.Contract;
            import org.hyperledger.fabric.contract.annotation.Default;
            import org.hyperledger.fabric.contract.annotation.Transaction;

            @Contract(name = "assets")
            @Default
            public final class AssetContract implements ContractInterface {
                private final Genson genson = new Genson();

                @Transaction(intent = Transaction.TYPE.EVALUATE)
                public String describe(Context ctx, String id, int size) {
                    Asset asset = genson.deserialize(genson.serialize(new Asset(id, size)), Asset.class);
                    return genson.serialize(asset);
                }

                @Transaction(intent = Transaction.TYPE.EVALUATE)
                public boolean jarOpen(Context ctx) {
                    return getClass().getClassLoader().getResource("demo/genson/Asset.class") != null;
                }
            }
            """;

    private Path gensonContract(String name, Map<String, String> sources, java.util.function.Predicate<String> keep)
            throws Exception {
        return ContractJars.compile(
                tmp.resolve(name),
                tmp.resolve(name + ".jar"),
                sources,
                keep,
                ContractInterface.class,
                Class.forName("com.owlike.genson.Genson"));
    }

    /**
     * A thin jar (no Genson in it) whose contract and data type use Genson, as Fabric's Java samples do, runs: the
     * node offers Genson as a Fabric Java chaincode environment does. Closing the runtime closes the jar.
     */
    @Test
    void thinJarUsingGenson_runs_andClosingTheRuntimeClosesTheJar() throws Exception {
        Path jar = gensonContract(
                "genson",
                Map.of("demo/genson/Asset.java", ASSET, "demo/genson/AssetContract.java", GENSON_CONTRACT),
                name -> true);
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(file.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(name -> name.startsWith("com/owlike"));
        }

        ChaincodeRuntime runtime = ChaincodeRuntime.load("assets", jar);
        Simulation described = runtime.simulate(state, invocation("describe", "a1", "7"));
        assertThat(described.response().getStatus()).isEqualTo(200);
        assertThat(described.response().getPayload().toStringUtf8()).isEqualTo("{\"id\":\"a1\",\"size\":7}");
        assertThat(runtime.simulate(state, invocation("jarOpen"))
                        .response()
                        .getPayload()
                        .toStringUtf8())
                .isEqualTo("true");

        runtime.close();

        assertThat(runtime.simulate(state, invocation("jarOpen"))
                        .response()
                        .getPayload()
                        .toStringUtf8())
                .isEqualTo("false");
    }

    @Test
    void contractNeedingAClassNobodyHas_failsTheLoad_namingIt() throws Exception {
        Path jar = gensonContract(
                "missing",
                Map.of("demo/genson/Asset.java", ASSET, "demo/genson/AssetContract.java", GENSON_CONTRACT),
                name -> !name.equals("demo/genson/Asset.class"));

        assertThatThrownBy(() -> ChaincodeRuntime.load("missing", jar))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessageContaining("class demo.genson.AssetContract of contract jar " + jar)
                .hasMessageContaining("needs demo.genson.Asset");
    }

    @Test
    void contractWhoseStaticInitialiserThrows_failsTheLoad_withWhatItThrew() throws Exception {
        Path jar = gensonContract("static", Map.of("demo/broken/BrokenContract.java", """
                        package demo.broken;

                        import org.hyperledger.fabric.contract.Context;
                        import org.hyperledger.fabric.contract.ContractInterface;
                        import org.hyperledger.fabric.contract.annotation.Contract;
                        import org.hyperledger.fabric.contract.annotation.Transaction;

                        @Contract(name = "broken")
                        public final class BrokenContract implements ContractInterface {
                            private static final String SETTING = setting();

                            private static String setting() {
                                throw new IllegalStateException("no setting for the broken contract");
                            }

                            @Transaction
                            public String get(Context ctx) {
                                return SETTING;
                            }
                        }
                        """), name -> true);

        assertThatThrownBy(() -> ChaincodeRuntime.load("broken", jar))
                .isInstanceOf(ChaincodeLoadException.class)
                .hasMessage("the static initialiser of demo.broken.BrokenContract in contract jar " + jar
                        + " threw java.lang.IllegalStateException: no setting for the broken contract");
    }

    @Test
    void load_jarWithoutContract_throwsNamingTheJar() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(dir.resolve("readme.txt"), "no contracts here");
        Path jar = ContractJars.jar(dir, tmp.resolve("no-contract.jar"), name -> true);

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
