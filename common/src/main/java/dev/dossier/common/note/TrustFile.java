package dev.dossier.common.note;

import dev.dossier.common.card.CardKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a verifier pins to check a consortium's checkpoints offline: the log's origin, the nodes' verifier keys and how
 * many distinct nodes must have signed a checkpoint. Text, UTF-8; {@code #} comments and blank lines are ignored:
 *
 * <pre>{@code
 * origin dossier/dossier/notary
 * cosigners 2
 * org1-node1+1a2b3c4d+AjBZ...
 * org2-node1+5e6f7a8b+AjBZ...
 * card Org1MSP 1a2b3c4d5e6f7a8b 2025-01-01 2027-12-31 MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...
 * }</pre>
 *
 * <p>{@code card} lines list the organisations' card-signing keys ({@link CardKey}): the inspector's card is checked
 * against them.
 *
 * <p>Security: whoever controls the trust file decides which checkpoints are accepted. Take it from the consortium
 * (every node serves it at {@code /v1/keys}, {@code network init} writes it) over a channel you trust, and keep it.
 *
 * @param origin the origin every accepted checkpoint must name
 * @param cosigners how many distinct pinned keys must sign (1 to the number of keys)
 * @param keys the nodes' keys, with distinct names
 * @param cardKeys the organisations' card-signing keys, with distinct key ids
 */
public record TrustFile(String origin, int cosigners, List<NoteVerifier.Key> keys, List<CardKey> cardKeys) {
    private static final String ORIGIN = "origin ";
    private static final String COSIGNERS = "cosigners ";

    public TrustFile {
        Objects.requireNonNull(origin, "origin");
        keys = List.copyOf(keys);
        cardKeys = List.copyOf(cardKeys);
        if (origin.isBlank() || origin.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("origin must be a non-empty line of text");
        }
        if (cosigners < 1 || cosigners > keys.size()) {
            throw new IllegalArgumentException("cosigners " + cosigners + " not in [1, " + keys.size() + "]");
        }
        Set<String> names = new HashSet<>();
        for (NoteVerifier.Key key : keys) {
            if (!names.add(key.name())) {
                throw new IllegalArgumentException("two keys are named " + key.name());
            }
        }
        Set<String> keyIds = new HashSet<>();
        for (CardKey key : cardKeys) {
            if (!keyIds.add(key.keyIdHex())) {
                throw new IllegalArgumentException("two card keys have the key id " + key.keyIdHex());
            }
        }
    }

    /** A trust file without card keys. */
    public TrustFile(String origin, int cosigners, List<NoteVerifier.Key> keys) {
        this(origin, cosigners, keys, List.of());
    }

    /** @return this trust file with {@code cardKeys} instead of its card keys */
    public TrustFile withCardKeys(List<CardKey> newCardKeys) {
        return new TrustFile(origin, cosigners, keys, newCardKeys);
    }

    /**
     * A trust file requiring a strict majority of the keys: {@code keys.size() / 2 + 1} (1 for a single node).
     */
    public static TrustFile majority(String origin, List<NoteVerifier.Key> keys) {
        return new TrustFile(origin, keys.size() / 2 + 1, keys);
    }

    /** @return a verifier of notes against these keys, requiring {@link #cosigners} of them */
    public NoteVerifier verifier() {
        return new NoteVerifier(keys, cosigners);
    }

    /** @return the trust file's text */
    public String format() {
        StringBuilder out = new StringBuilder()
                .append(ORIGIN)
                .append(origin)
                .append('\n')
                .append(COSIGNERS)
                .append(cosigners)
                .append('\n');
        for (NoteVerifier.Key key : keys) {
            out.append(key.vkey()).append('\n');
        }
        for (CardKey key : cardKeys) {
            out.append(key.line()).append('\n');
        }
        return out.toString();
    }

    /**
     * Parses a trust file.
     *
     * @throws NoteException naming the line, if a line is malformed, the origin or the cosigner count is missing or
     *     repeated, or the count does not fit the keys
     */
    public static TrustFile parse(String text) throws NoteException {
        Objects.requireNonNull(text, "text");
        String origin = null;
        Integer cosigners = null;
        List<NoteVerifier.Key> keys = new ArrayList<>();
        List<CardKey> cardKeys = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "trust file line " + (i + 1) + ": ";
            if (line.startsWith(ORIGIN)) {
                if (origin != null) {
                    throw new NoteException(where + "a second origin");
                }
                origin = line.substring(ORIGIN.length()).strip();
            } else if (line.startsWith(COSIGNERS)) {
                if (cosigners != null) {
                    throw new NoteException(where + "a second cosigners line");
                }
                try {
                    cosigners =
                            Integer.parseInt(line.substring(COSIGNERS.length()).strip());
                } catch (NumberFormatException e) {
                    throw new NoteException(where + "cosigners is not a number");
                }
            } else if (line.startsWith(CardKey.LINE_PREFIX)) {
                try {
                    cardKeys.add(CardKey.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new NoteException(where + e.getMessage(), e);
                }
            } else {
                try {
                    keys.add(NoteVerifier.Key.parse(line));
                } catch (NoteException e) {
                    throw new NoteException(where + e.getMessage(), e);
                }
            }
        }
        if (origin == null || origin.isEmpty()) {
            throw new NoteException("trust file has no origin line");
        }
        if (cosigners == null) {
            throw new NoteException("trust file has no cosigners line");
        }
        try {
            return new TrustFile(origin, cosigners, keys, cardKeys);
        } catch (IllegalArgumentException e) {
            throw new NoteException("trust file: " + e.getMessage(), e);
        }
    }
}
