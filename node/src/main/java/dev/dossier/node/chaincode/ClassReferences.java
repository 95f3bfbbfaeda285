package dev.dossier.node.chaincode;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The classes a class file refers to: the {@code CONSTANT_Class} entries of its constant pool (JVMS §4.4.1), which
 * name every class it instantiates, casts to, calls or reads a field of. Array classes give their element class;
 * arrays of primitives give nothing. Read without loading the class.
 */
final class ClassReferences {
    private static final int MAGIC = 0xCAFEBABE;

    private ClassReferences() {}

    /**
     * @param classFile the bytes of a class file
     * @return the binary names ({@code com.example.Asset}) of the classes it refers to, itself included, sorted
     * @throws IOException if the bytes are not a class file or its constant pool is malformed
     */
    static List<String> of(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNameIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndexes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("constant pool entry " + i + " has unknown tag " + tag);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        for (int index : classNameIndexes) {
            if (index <= 0 || index >= count || utf8[index] == null) {
                throw new IOException("a class entry names constant " + index + ", which is not a UTF-8 entry");
            }
            String name = elementClass(utf8[index]);
            if (name != null) {
                names.add(name.replace('/', '.'));
            }
        }
        return List.copyOf(names);
    }

    /** @return the internal name of a class, or of an array's element class; null for an array of primitives */
    private static String elementClass(String internalName) {
        if (!internalName.startsWith("[")) {
            return internalName;
        }
        String element = internalName.substring(internalName.lastIndexOf('[') + 1);
        return element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : null;
    }
}
