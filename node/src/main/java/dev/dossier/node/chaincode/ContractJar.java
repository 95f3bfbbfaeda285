package dev.dossier.node.chaincode;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.DataType;

/**
 * Finds the {@code @Contract} and {@code @DataType} classes of one jar, and only of that jar. (The shim's own scan
 * also sees every class on the node's class path, so a jar without contracts would silently pick up whatever
 * contracts the node happens to carry.) Class files are pre-filtered by looking for the annotation's type descriptor
 * in their bytes; only candidates are loaded, without initialising them.
 *
 * @param contracts contract classes, sorted by name
 * @param dataTypes data type classes, sorted by name
 * @param references for each contract and data type class, the classes it refers to ({@link ClassReferences})
 * @param unloadable the candidates that could not be loaded, each with the reason
 */
record ContractJar(
        List<Class<? extends ContractInterface>> contracts,
        List<Class<?>> dataTypes,
        Map<String, List<String>> references,
        List<String> unloadable) {
    private static final Logger LOGGER = Logger.getLogger(ContractJar.class.getName());
    private static final byte[] CONTRACT_DESCRIPTOR = descriptor(Contract.class);
    private static final byte[] DATA_TYPE_DESCRIPTOR = descriptor(DataType.class);

    /**
     * @throws ChaincodeLoadException if the jar cannot be read
     */
    static ContractJar scan(Path jar, ClassLoader loader) throws ChaincodeLoadException {
        TreeMap<String, Class<? extends ContractInterface>> contracts = new TreeMap<>();
        TreeMap<String, Class<?>> dataTypes = new TreeMap<>();
        Map<String, List<String>> references = new TreeMap<>();
        List<String> unloadable = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()
                        || !name.endsWith(".class")
                        || name.startsWith("META-INF/")
                        || name.endsWith("module-info.class")) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = file.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                boolean contract = contains(bytes, CONTRACT_DESCRIPTOR);
                boolean dataType = contains(bytes, DATA_TYPE_DESCRIPTOR);
                if (!contract && !dataType) {
                    continue;
                }
                String className =
                        name.substring(0, name.length() - ".class".length()).replace('/', '.');
                Class<?> type;
                try {
                    type = Class.forName(className, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // A class that merely mentions the annotation type may need classes the jar does not carry.
                    LOGGER.log(Level.WARNING, "skipping class " + className + " of " + jar + ": " + e, e);
                    unloadable.add(className + " (" + e + ")");
                    continue;
                }
                if (type.getClassLoader() == loader
                        && (type.isAnnotationPresent(Contract.class) || type.isAnnotationPresent(DataType.class))) {
                    references.put(className, ClassReferences.of(bytes));
                }
                if (contract
                        && type.isAnnotationPresent(Contract.class)
                        && ContractInterface.class.isAssignableFrom(type)) {
                    contracts.put(className, type.asSubclass(ContractInterface.class));
                }
                if (dataType && type.isAnnotationPresent(DataType.class)) {
                    dataTypes.put(className, type);
                }
            }
        } catch (IOException e) {
            throw new ChaincodeLoadException("cannot read contract jar " + jar + ": " + e.getMessage(), e);
        }
        return new ContractJar(
                List.copyOf(contracts.values()),
                List.copyOf(dataTypes.values()),
                Collections.unmodifiableMap(references),
                List.copyOf(unloadable));
    }

    /**
     * Checks that the contracts and data types can run here, so that a jar that cannot fails the node's start rather
     * than every call: every class they refer to is found (in the jar or among what the node offers contracts: the
     * shim, its dependencies and Genson), and each initialises (its static initialiser does not throw).
     *
     * @throws ChaincodeLoadException naming the class, and the class it needs or what its initialiser threw
     */
    void requireLoadable(Path jar, ClassLoader loader) throws ChaincodeLoadException {
        for (Map.Entry<String, List<String>> entry : references.entrySet()) {
            for (String reference : entry.getValue()) {
                try {
                    Class.forName(reference, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new ChaincodeLoadException(
                            "class " + entry.getKey() + " of contract jar " + jar + " needs " + reference
                                    + ", which neither the jar nor the node's Fabric Java chaincode environment (the"
                                    + " shim, its dependencies, Genson) has: add it to the jar (" + e + ")",
                            e);
                }
            }
        }
        for (String className : references.keySet()) {
            try {
                Class.forName(className, true, loader);
            } catch (ExceptionInInitializerError e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new ChaincodeLoadException(
                        "the static initialiser of " + className + " in contract jar " + jar + " threw " + cause, e);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ChaincodeLoadException(
                        "class " + className + " of contract jar " + jar + " cannot be loaded: " + e, e);
            }
        }
    }

    private static byte[] descriptor(Class<?> type) {
        return ("L" + type.getName().replace('.', '/') + ";").getBytes(US_ASCII);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
