package dev.dossier.node.chaincode;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.dossier.node.ledger.StateReader;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.contract.metadata.MetadataBuilder;
import org.hyperledger.fabric.contract.routing.ContractDefinition;
import org.hyperledger.fabric.contract.routing.RoutingRegistry;
import org.hyperledger.fabric.contract.routing.TypeRegistry;
import org.hyperledger.fabric.contract.systemcontract.SystemContract;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.shim.Chaincode;

/**
 * Runs a Fabric Java contract inside the node: the shim's contract router dispatches each invocation to the
 * contract's transaction function, with the node's own {@code ChaincodeStub} (see {@link Simulation} for what is
 * recorded). Any Fabric Java chaincode written with the contract API ({@code @Contract} classes implementing
 * {@code ContractInterface}) runs unchanged.
 *
 * <pre>{@code
 * ChaincodeRuntime notary = ChaincodeRuntime.load("notary", Path.of("dossier-chaincode.jar"));
 * Simulation s = notary.simulate(stateReader, invocation);
 * if (s.succeeded()) { ... endorse s.readWriteSet() ... } else { ... s.response().getMessage() ... }
 * }</pre>
 *
 * <p><b>Invocations.</b> {@link #simulate} is thread-safe: any number of invocations may run at once, each with its
 * own stub. The function argument is {@code "[contract:]transaction"}; without a contract name it goes to the
 * {@code @Default} contract. {@code org.hyperledger.fabric:GetMetadata} returns the contract metadata JSON. Every
 * contract transaction parses the creator as a {@code SerializedIdentity} holding an X.509 certificate, for
 * {@code ctx.getClientIdentity()}.
 *
 * <p><b>One runtime per JVM.</b> The shim keeps its data-type registry and its metadata in JVM-wide singletons:
 * every runtime loaded adds its contracts there, so {@code GetMetadata} describes all contracts loaded in the JVM and
 * data types with the same simple name collide. One runtime per JVM is the supported case; several work (the tests
 * load a few) when their contract and data-type names differ.
 *
 * <p><b>Logging.</b> Loading puts {@code java.util.logging} back as it was after the shim's set-up, with the shim's
 * loggers at WARNING. The shim's stack trace for a business error (a {@code ChaincodeException} with a payload, such
 * as an error code) is dropped; the shim's other warnings and errors, including the cause of a failure, are logged
 * with the chaincode name and transaction id.
 */
public final class ChaincodeRuntime implements AutoCloseable {
    /** Fabric's threshold: a chaincode response status at or above it is an error. */
    static final int ERROR_THRESHOLD = 400;

    private static final Pattern CHAINCODE_NAME = Pattern.compile("[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*");
    private static final Logger LOGGER = Logger.getLogger(ChaincodeRuntime.class.getName());

    private final String name;
    private final Chaincode router;
    private final ClassLoader contractLoader;
    private final List<String> contracts;

    private ChaincodeRuntime(String name, Chaincode router, ClassLoader contractLoader, List<String> contracts) {
        this.name = name;
        this.router = router;
        this.contractLoader = contractLoader;
        this.contracts = contracts;
    }

    /**
     * Loads a Fabric Java contract: from {@code contractJar}, a jar with {@code @Contract} classes loaded in its own
     * class loader whose parent is the node's (so the node's shim and protobuf classes are shared), or, when
     * {@code contractJar} is null, from the node's class path. Only the jar's contracts (plus the shim's system
     * contract) are registered for a jar; for the class path, every contract the shim finds there.
     *
     * <p>A thin jar gets what a Fabric peer's Java chaincode environment gives it: the shim and its dependencies
     * (protobuf, org.json, ...) and Genson, which Fabric's Java samples use and leave out of their jars. A jar whose
     * contracts or data types refer to a class found nowhere, or whose static initialiser throws, fails here with the
     * reason instead of failing every call.
     *
     * @param chaincodeName the chaincode name, also the state namespace ({@code [a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*}, as
     *     Fabric requires)
     * @param contractJar the contract jar, or null for the node's class path
     * @return the runtime
     * @throws ChaincodeLoadException if the jar cannot be read, no {@code @Contract} class implementing
     *     {@code ContractInterface} is found, a contract is invalid (for example two transactions with one name), a
     *     contract or data type needs a class that nobody has, or its initialiser throws
     * @throws IllegalArgumentException if {@code chaincodeName} is not a valid chaincode name
     */
    public static ChaincodeRuntime load(String chaincodeName, Path contractJar) throws ChaincodeLoadException {
        requireNonNull(chaincodeName, "chaincodeName");
        if (!CHAINCODE_NAME.matcher(chaincodeName).matches()) {
            throw new IllegalArgumentException("invalid chaincode name '" + chaincodeName + "'");
        }
        ClassLoader nodeLoader = ChaincodeRuntime.class.getClassLoader();
        if (contractJar == null) {
            return start(chaincodeName, nodeLoader, null, "the node's class path");
        }
        if (!Files.isRegularFile(contractJar)) {
            throw new ChaincodeLoadException("contract jar " + contractJar + " does not exist or is not a file");
        }
        URLClassLoader jarLoader =
                new URLClassLoader("chaincode-" + chaincodeName, new URL[] {url(contractJar)}, nodeLoader);
        try {
            ContractJar jar = ContractJar.scan(contractJar, jarLoader);
            if (jar.contracts().stream().allMatch(c -> c == SystemContract.class)) {
                throw new ChaincodeLoadException("no @Contract class implementing ContractInterface in contract jar "
                        + contractJar
                        + (jar.unloadable().isEmpty()
                                ? ""
                                : "; classes that could not be loaded: " + String.join(", ", jar.unloadable())));
            }
            jar.requireLoadable(contractJar, jarLoader);
            return start(chaincodeName, jarLoader, jar, "contract jar " + contractJar);
        } catch (ChaincodeLoadException | RuntimeException | Error e) {
            try {
                jarLoader.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** @return the chaincode name, which is also its state namespace */
    public String name() {
        return name;
    }

    /**
     * Runs one invocation against committed state, recording the reads (with the versions seen), range queries and
     * writes, without changing anything. Chaincode errors never throw: they come back as a {@link Simulation} whose
     * response has status 500 and the message (and, for {@code ChaincodeException(message, code)}, the code as
     * payload). A failure that is not a business error (an exception other than {@code ChaincodeException} thrown by
     * the contract, a stub rule broken, a bad argument count) comes back with one of the shim's generic messages, such
     * as "Error during contract method execution" or "Unexpected error", no payload, and is logged with its cause.
     *
     * @param state committed world state to read
     * @param invocation the invocation
     * @return the response, read-write set and event
     * @throws RuntimeException the exception {@code state} threw, if it threw during the invocation (a ledger
     *     failure is the node's, not the chaincode's, even when the chaincode caught it)
     * @throws NullPointerException if an argument is null
     */
    public Simulation simulate(StateReader state, Invocation invocation) {
        requireNonNull(state, "state");
        requireNonNull(invocation, "invocation");
        SimulationStub stub = new SimulationStub(name, state, invocation);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        Chaincode.Response response = null;
        ShimLogging.startCapture();
        try {
            thread.setContextClassLoader(contractLoader);
            response = router.invoke(stub);
        } finally {
            thread.setContextClassLoader(previous);
            // A business error carries its code as payload; the shim's wrappers of other failures carry none.
            boolean businessError = response != null
                    && response.getStatusCode() >= ERROR_THRESHOLD
                    && response.getPayload() != null
                    && response.getPayload().length > 0;
            ShimLogging.endCapture(
                    "chaincode " + name + " tx " + invocation.txId(), businessError || stub.ledgerFailure() != null);
        }
        if (stub.ledgerFailure() != null) {
            throw stub.ledgerFailure();
        }
        Response proto = Response.newBuilder()
                .setStatus(response.getStatusCode())
                .setMessage(response.getMessage() == null ? "" : response.getMessage())
                .setPayload(
                        response.getPayload() == null ? ByteString.EMPTY : ByteString.copyFrom(response.getPayload()))
                .build();
        if (proto.getStatus() >= ERROR_THRESHOLD) {
            TxReadWriteSet empty = TxReadWriteSet.newBuilder()
                    .setDataModel(TxReadWriteSet.DataModel.KV)
                    .build();
            return new Simulation(proto, empty, null, List.of(), Set.of());
        }
        return new Simulation(proto, stub.readWriteSet(), stub.getEvent(), stub.keyWrites(), stub.keysReadAbsent());
    }

    /**
     * Closes the contract jar's class loader (and so the jar file); a runtime of the node's class path holds nothing
     * to close. Invocations after this may fail to load classes.
     *
     * @throws IOException if the jar file cannot be closed
     */
    @Override
    public void close() throws IOException {
        if (contractLoader instanceof URLClassLoader jarLoader
                && contractLoader != ChaincodeRuntime.class.getClassLoader()) {
            jarLoader.close();
        }
    }

    @Override
    public String toString() {
        return "ChaincodeRuntime{" + name + ", contracts " + contracts + "}";
    }

    private static ChaincodeRuntime start(String name, ClassLoader loader, ContractJar jar, String source)
            throws ChaincodeLoadException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return ShimLogging.quietly(() -> {
                ContractRouter router;
                try {
                    router = new ContractRouter(new String[] {"-i", name});
                } catch (RuntimeException e) {
                    throw new ChaincodeLoadException("cannot start the contract router for " + source, e);
                }
                RoutingRegistry registry = routingRegistry(router);
                TypeRegistry types = TypeRegistry.getRegistry();
                try {
                    if (jar == null) {
                        registry.findAndSetContracts(types);
                    } else {
                        Set<Class<?>> registered = new HashSet<>();
                        register(registry, SystemContract.class, registered);
                        for (Class<? extends ContractInterface> contract : jar.contracts()) {
                            register(registry, contract, registered);
                        }
                        jar.dataTypes().forEach(types::addDataType);
                    }
                } catch (RuntimeException e) {
                    throw new ChaincodeLoadException("invalid contract in " + source + ": " + e.getMessage(), e);
                } catch (LinkageError e) {
                    // creating a contract runs its instance initialisers, which may need a class nobody offers
                    throw new ChaincodeLoadException("a contract in " + source + " cannot be created: " + e, e);
                }
                List<String> contracts = registry.getAllDefinitions().stream()
                        .filter(d -> d.getContractImpl() != SystemContract.class)
                        .map(ContractDefinition::getName)
                        .distinct()
                        .sorted()
                        .toList();
                if (contracts.isEmpty()) {
                    throw new ChaincodeLoadException("no @Contract class implementing ContractInterface in " + source);
                }
                try {
                    MetadataBuilder.initialize(registry, types);
                } catch (RuntimeException | LinkageError e) {
                    throw new ChaincodeLoadException(
                            "invalid contract metadata in " + source + ": " + e.getMessage(), e);
                }
                LOGGER.info(() -> "loaded chaincode " + name + " (contracts " + contracts + ") from " + source);
                return new ChaincodeRuntime(name, router, loader, contracts);
            });
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Registers a contract and its transaction functions, as the shim's own scan does. */
    @SuppressWarnings("unchecked")
    private static void register(
            RoutingRegistry registry, Class<? extends ContractInterface> type, Set<Class<?>> done) {
        if (!done.add(type)) {
            return;
        }
        ContractDefinition definition = registry.addNewContract((Class<ContractInterface>) type);
        for (Method m : type.getMethods()) {
            if (m.getAnnotation(Transaction.class) != null) {
                definition.addTxFunction(m);
            }
        }
    }

    /**
     * The router's registry, which the shim keeps package-private: the only way to register the contracts of one jar
     * rather than of the whole class path, and to see what was found.
     */
    private static RoutingRegistry routingRegistry(ContractRouter router) throws ChaincodeLoadException {
        try {
            Method getter = ContractRouter.class.getDeclaredMethod("getRoutingRegistry");
            getter.setAccessible(true);
            return (RoutingRegistry) getter.invoke(router);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ChaincodeLoadException(
                    "unsupported fabric-chaincode-shim: ContractRouter.getRoutingRegistry() is not accessible", e);
        }
    }

    private static URL url(Path jar) throws ChaincodeLoadException {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new ChaincodeLoadException("invalid contract jar path " + jar, e);
        }
    }
}
