package dev.dossier.common.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, then one or more signature lines
 * {@code — <key name> base64(key ID || signature)}. Parsing checks the format only; {@link NoteVerifier} checks the
 * signatures.
 */
public final class SignedNote {
    /** Verifiers must accept at least 16 signatures; more than this many is refused. */
    static final int MAX_SIGNATURES = 100;

    private static final String DASH = "\u2014 ";

    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * @throws IllegalArgumentException if the text does not end in a newline, contains control characters other than
     *     newline, or there is no signature
     */
    public static SignedNote of(String text, List<NoteSignature> signatures) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(signatures, "signatures");
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("a signed note needs at least one signature");
        }
        return new SignedNote(text, signatures);
    }

    /**
     * Parses a signed note.
     *
     * @throws NoteException if it is not one
     */
    public static SignedNote parse(String note) throws NoteException {
        Objects.requireNonNull(note, "note");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteException("no blank line separates the note text from its signatures");
        }
        String text = note.substring(0, split + 1);
        String problem = textProblem(text);
        if (problem != null) {
            throw new NoteException(problem);
        }
        String rest = note.substring(split + 2);
        if (!rest.endsWith("\n")) {
            throw new NoteException("the last signature line does not end in a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (String line : rest.substring(0, rest.length() - 1).split("\n", -1)) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw new NoteException("more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(parseLine(line));
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature parseLine(String line) throws NoteException {
        if (!line.startsWith(DASH)) {
            throw new NoteException("signature line does not start with an em dash and a space: " + line);
        }
        String[] parts = line.substring(DASH.length()).split(" ", -1);
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new NoteException("signature line is not '— <name> <signature>': " + line);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new NoteException("signature of " + parts[0] + " is not base64");
        }
        // one note, one text: the decoder ignores the unused bits of the last character, which would let a note's bytes
        // change while it still verifies
        if (!Base64.getEncoder().encodeToString(decoded).equals(parts[1])) {
            throw new NoteException("signature of " + parts[0] + " is not canonical base64");
        }
        if (decoded.length <= 4) {
            throw new NoteException("signature of " + parts[0] + " is too short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(decoded);
        int keyId = buffer.getInt();
        byte[] signature = new byte[buffer.remaining()];
        buffer.get(signature);
        try {
            return new NoteSignature(parts[0], keyId, signature);
        } catch (IllegalArgumentException e) {
            throw new NoteException(e.getMessage());
        }
    }

    private static String textProblem(String text) {
        if (text.isEmpty() || !text.endsWith("\n")) {
            return "note text must end in a newline";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                return "note text contains control character " + (int) c;
            }
        }
        return null;
    }

    /** @return the signed text, final newline included */
    public String text() {
        return text;
    }

    public List<NoteSignature> signatures() {
        return signatures;
    }

    /** @return the note in its wire form */
    public String format() {
        StringBuilder out = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            byte[] raw = ByteBuffer.allocate(4 + s.signature().length)
                    .putInt(s.keyId())
                    .put(s.signature())
                    .array();
            out.append(DASH)
                    .append(s.keyName())
                    .append(' ')
                    .append(Base64.getEncoder().encodeToString(raw))
                    .append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
