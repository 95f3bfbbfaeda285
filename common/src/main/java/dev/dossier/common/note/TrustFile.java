package dev.dossier.common.note;

import dev.dossier.common.card.CardKey;
import java.util.ArrayList;
import java.util.Arrays;
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
 * earlier 1200 1 org1-node1+1a2b3c4d+AjBZ...
 * }</pre>
 *
 * <p>{@code card} lines list the organisations' card-signing keys ({@link CardKey}): the inspector's card is checked
 * against them.
 *
 * <p>{@code earlier <max size> <cosigners> <key>...} lines ({@link Earlier}) list the node keys of the consortium
 * before a change (a node voted in or out), and how many of them had to sign: a checkpoint of at most {@code max size}
 * leaves is also accepted with that many of their signatures ({@link #verifyCheckpoint}), so that a receipt cosigned
 * before the change still verifies against the trust file after it. Past that size only the keys in force count.
 *
 * <p>Security: whoever controls the trust file decides which checkpoints are accepted. Take it from the consortium
 * (every node serves it at {@code /v1/keys}, {@code network init} writes it) over a channel you trust, and keep it.
 *
 * @param origin the origin every accepted checkpoint must name
 * @param cosigners how many distinct pinned keys must sign (1 to the number of keys)
 * @param keys the nodes' keys, with distinct names
 * @param cardKeys the organisations' card-signing keys, with distinct key ids
 * @param earlier the key sets of the consortium before its changes, oldest first
 */
public record TrustFile(
        String origin, int cosigners, List<NoteVerifier.Key> keys, List<CardKey> cardKeys, List<Earlier> earlier) {
    private static final String ORIGIN = "origin ";
    private static final String COSIGNERS = "cosigners ";
    private static final String EARLIER = "earlier ";

    /**
     * The node keys that cosigned checkpoints before a change of the consortium, and how many of them a checkpoint
     * needed: they count for checkpoints of at most {@code maxSize} leaves (the log's size when the change came into
     * force), never for a larger one.
     *
     * @param maxSize the largest tree size they cosigned
     * @param cosigners how many distinct keys of them must sign (1 to the number of keys)
     * @param keys the keys, with distinct names
     */
    public record Earlier(long maxSize, int cosigners, List<NoteVerifier.Key> keys) {
        /** The largest size: 2^53 - 1, the largest integer the verify page's JavaScript reads exactly. */
        public static final long MAX_SIZE = (1L << 53) - 1;

        public Earlier {
            keys = List.copyOf(keys);
            if (maxSize < 0 || maxSize > MAX_SIZE) {
                throw new IllegalArgumentException("earlier key set: size " + maxSize + " not in [0, 2^53 - 1]");
            }
            checkKeys(cosigners, keys, "earlier key set: ");
        }

        /** @return its trust-file line */
        public String line() {
            StringBuilder out =
                    new StringBuilder(EARLIER).append(maxSize).append(' ').append(cosigners);
            for (NoteVerifier.Key key : keys) {
                out.append(' ').append(key.vkey());
            }
            return out.toString();
        }

        /**
         * Parses a line written by {@link #line()}.
         *
         * @throws NoteException if it is malformed
         */
        public static Earlier parse(String line) throws NoteException {
            String[] fields = line.strip().split(" +");
            if (fields.length < 4 || !fields[0].equals(EARLIER.strip())) {
                throw new NoteException("not 'earlier <max size> <cosigners> <key>...': " + line);
            }
            if (!fields[1].matches("0|[1-9][0-9]{0,15}")) {
                throw new NoteException("earlier key set: size is not a number: " + fields[1]);
            }
            if (!fields[2].matches("[1-9][0-9]{0,3}")) {
                throw new NoteException("earlier key set: cosigners is not a positive number: " + fields[2]);
            }
            List<NoteVerifier.Key> keys = new ArrayList<>();
            for (String vkey : Arrays.asList(fields).subList(3, fields.length)) {
                keys.add(NoteVerifier.Key.parse(vkey));
            }
            try {
                return new Earlier(Long.parseLong(fields[1]), Integer.parseInt(fields[2]), keys);
            } catch (IllegalArgumentException e) {
                throw new NoteException(e.getMessage(), e);
            }
        }
    }

    public TrustFile {
        Objects.requireNonNull(origin, "origin");
        keys = List.copyOf(keys);
        cardKeys = List.copyOf(cardKeys);
        earlier = List.copyOf(earlier);
        if (origin.isBlank() || origin.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("origin must be a non-empty line of text");
        }
        checkKeys(cosigners, keys, "");
        Set<String> keyIds = new HashSet<>();
        for (CardKey key : cardKeys) {
            if (!keyIds.add(key.keyIdHex())) {
                throw new IllegalArgumentException("two card keys have the key id " + key.keyIdHex());
            }
        }
    }

    /** A trust file without earlier key sets. */
    public TrustFile(String origin, int cosigners, List<NoteVerifier.Key> keys, List<CardKey> cardKeys) {
        this(origin, cosigners, keys, cardKeys, List.of());
    }

    /** A trust file without card keys or earlier key sets. */
    public TrustFile(String origin, int cosigners, List<NoteVerifier.Key> keys) {
        this(origin, cosigners, keys, List.of());
    }

    private static void checkKeys(int cosigners, List<NoteVerifier.Key> keys, String where) {
        if (cosigners < 1 || cosigners > keys.size()) {
            throw new IllegalArgumentException(where + "cosigners " + cosigners + " not in [1, " + keys.size() + "]");
        }
        Set<String> names = new HashSet<>();
        for (NoteVerifier.Key key : keys) {
            if (!names.add(key.name())) {
                throw new IllegalArgumentException(where + "two keys are named " + key.name());
            }
        }
    }

    /** @return this trust file with {@code cardKeys} instead of its card keys */
    public TrustFile withCardKeys(List<CardKey> newCardKeys) {
        return new TrustFile(origin, cosigners, keys, newCardKeys, earlier);
    }

    /** @return this trust file with {@code sets} instead of its earlier key sets */
    public TrustFile withEarlier(List<Earlier> sets) {
        return new TrustFile(origin, cosigners, keys, cardKeys, sets);
    }

    /**
     * A trust file requiring a strict majority of the keys: {@code keys.size() / 2 + 1} (1 for a single node).
     */
    public static TrustFile majority(String origin, List<NoteVerifier.Key> keys) {
        return new TrustFile(origin, keys.size() / 2 + 1, keys);
    }

    /**
     * @return a verifier of notes against the keys in force, requiring {@link #cosigners} of them: for what only the
     *     consortium in force may sign (revocation and status lists, a node's own checkpoints); a receipt's checkpoint
     *     is checked with {@link #verifyCheckpoint}
     */
    public NoteVerifier verifier() {
        return new NoteVerifier(keys, cosigners);
    }

    /**
     * Verifies a checkpoint's signatures: {@link #cosigners} of the keys in force, or else those of an earlier key set
     * whose size bound the checkpoint's size does not pass (the first in the file's order that verifies).
     *
     * @return the names of the keys whose signatures verified
     * @throws NoteException if neither the keys in force nor an earlier key set that covers the checkpoint's size
     *     signed it as required (the message says why the keys in force refused it)
     */
    public Set<String> verifyCheckpoint(SignedNote note) throws NoteException {
        try {
            return verifier().verify(note);
        } catch (NoteException inForce) {
            if (earlier.isEmpty()) {
                throw inForce;
            }
            long size;
            try {
                size = Checkpoint.parse(note.text()).size();
            } catch (NoteException e) {
                throw inForce;
            }
            int covering = 0;
            for (Earlier set : earlier) {
                if (size <= set.maxSize()) {
                    covering++;
                    try {
                        return new NoteVerifier(set.keys(), set.cosigners()).verify(note);
                    } catch (NoteException e) {
                        // the next earlier key set may have signed it
                    }
                }
            }
            throw new NoteException(
                    inForce.getMessage() + "; nor by an earlier key set of the consortium ("
                            + (covering == 0 ? "none covers" : covering == 1 ? "1 covers" : covering + " cover")
                            + " a checkpoint of " + size
                            + " leaves)",
                    inForce);
        }
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
        for (Earlier set : earlier) {
            out.append(set.line()).append('\n');
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
        List<Earlier> earlier = new ArrayList<>();
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
            } else if (line.startsWith(EARLIER)) {
                try {
                    earlier.add(Earlier.parse(line));
                } catch (NoteException e) {
                    throw new NoteException(where + e.getMessage(), e);
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
            return new TrustFile(origin, cosigners, keys, cardKeys, earlier);
        } catch (IllegalArgumentException e) {
            throw new NoteException("trust file: " + e.getMessage(), e);
        }
    }
}
