package dev.dossier.node.cli;

import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumDocument;
import dev.dossier.node.consortium.ConsortiumDocument.Organisation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The organisations' card and credential keys changed by vote, on a network whose ledger holds the consortium: {@code
 * add-key} makes a key in the consortium directory and proposes its line, {@code remove-key} proposes taking a line
 * out. Once in force, every node serves the change ({@code /v1/keys}, the organisations' controller documents) from
 * the next block.
 */
final class KeyCommands {
    private KeyCommands() {}

    /**
     * The kinds of keys an organisation lists: their files in the consortium directory ({@link OrganisationKeys}) and
     * their lines in the consortium document.
     */
    enum Kind {
        card(
                OrganisationKeys.CARDS,
                Organisation::cardKeys,
                (organisation, lines) -> organisation.withKeys(lines, organisation.credentialKeys())),
        credential(
                OrganisationKeys.CREDENTIALS,
                Organisation::credentialKeys,
                (organisation, lines) -> organisation.withKeys(organisation.cardKeys(), lines));

        private final OrganisationKeys<?> keys;
        private final Function<Organisation, List<String>> lines;
        private final BiFunction<Organisation, List<String>, Organisation> withLines;

        Kind(
                OrganisationKeys<?> keys,
                Function<Organisation, List<String>> lines,
                BiFunction<Organisation, List<String>, Organisation> withLines) {
            this.keys = keys;
            this.lines = lines;
            this.withLines = withLines;
        }

        /** @return the organisation's key lines of this kind */
        List<String> lines(Organisation organisation) {
            return lines.apply(organisation);
        }

        /** @return the key id of a line of this kind */
        String keyId(String line) {
            return keys.keyIdOf(line);
        }

        /**
         * Makes a key of this kind in the consortium directory and says where its private key is.
         *
         * @return its line
         */
        String add(Path network, NewKey key) throws IOException {
            return add(keys, network, key);
        }

        private <K> String add(OrganisationKeys<K> files, Path network, NewKey key) throws IOException {
            K made = files.add(network, key.organisation, key.from, key.to);
            System.out.println(this + " key of " + key.organisation + ": "
                    + files.privateKeyFile(network, made).toAbsolutePath() + " (0600, signs from " + key.from + " to "
                    + key.to + ")");
            return files.line(made);
        }

        /** @return the consortium's organisations, {@code change} made to {@code mspId}'s lines of this kind */
        List<Organisation> changing(ConsortiumDocument current, String mspId, Consumer<List<String>> change) {
            return current.organisationsWith(mspId, organisation -> {
                List<String> changed = new ArrayList<>(lines(organisation));
                change.accept(changed);
                return withLines.apply(organisation, changed);
            });
        }
    }

    @Command(
            name = "add-key",
            description = "Make a card-signing or credential-signing key for an organisation (a rotation: give it a"
                    + " validity starting before the old key's ends) in the consortium directory (cards/ or"
                    + " credentials/<MSP id>/<key id>.key, 0600, and its line in card-keys.txt or"
                    + " credential-keys.txt), and propose its line, as your organisation's vote. Once in force every"
                    + " node serves it (/v1/keys, /<MSP id>/did.json) from the next block; no restart.")
    static final class AddKey implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(names = "--kind", required = true, description = "card or credential")
        Kind kind;

        @Mixin
        NewKey key;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                if (current.organisation(key.organisation).isEmpty()) {
                    throw new IllegalArgumentException(
                            "no organisation " + key.organisation + " in the consortium in force");
                }
                String line = kind.add(operator.network, key);
                return call.propose(
                        current,
                        kind.changing(current, key.organisation, lines -> lines.add(line)),
                        "add " + kind + " key of " + key.organisation);
            }
        }
    }

    @Command(
            name = "remove-key",
            description = "Propose taking an organisation's card or credential key out of the consortium, as your"
                    + " organisation's vote. Once in force no node serves it, and what it signed verifies as"
                    + " UNKNOWN_SIGNER against the keys served from then on.")
    static final class RemoveKey implements Callable<Integer> {
        @Mixin
        OperatorCall.Operator operator;

        @Option(
                names = "--key-id",
                required = true,
                description = "the key id, 16 hex digits, as /v1/keys or 'network proposals' shows it")
        String keyId;

        @Override
        public Integer call() throws Exception {
            try (OperatorCall.Call call = operator.connect()) {
                ConsortiumDocument current = call.inForce();
                for (Organisation organisation : current.organisations()) {
                    for (Kind kind : Kind.values()) {
                        if (kind.lines(organisation).stream()
                                .anyMatch(line -> kind.keyId(line).equals(keyId))) {
                            return call.propose(
                                    current,
                                    kind.changing(
                                            current,
                                            organisation.mspId(),
                                            lines -> lines.removeIf(
                                                    line -> kind.keyId(line).equals(keyId))),
                                    "remove " + kind + " key " + keyId + " of " + organisation.mspId());
                        }
                    }
                }
                throw new IllegalArgumentException("the consortium in force lists no card or credential key " + keyId);
            }
        }
    }

    /** The key a command makes: its organisation and the days it may sign. */
    static final class NewKey {
        @Option(names = "--org", required = true, paramLabel = "MSPID", description = "the organisation")
        String organisation;

        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day it may sign")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day it may sign")
        LocalDate to;
    }
}
