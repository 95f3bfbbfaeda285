package dev.dossier.node.cli;

import dev.dossier.common.card.CardKey;
import dev.dossier.credential.CredentialKey;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.consortium.ConsortiumDocument;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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

    /** The two kinds of keys an organisation lists. */
    enum Kind {
        card,
        credential
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
                Path network = operator.network;
                String line;
                Path privateKey;
                if (kind == Kind.card) {
                    CardKey made = OrganisationKeys.CARDS.add(network, key.organisation, key.from, key.to);
                    line = made.line();
                    privateKey = OrganisationKeys.CARDS.privateKeyFile(network, made);
                } else {
                    CredentialKey made = OrganisationKeys.CREDENTIALS.add(network, key.organisation, key.from, key.to);
                    line = made.line();
                    privateKey = OrganisationKeys.CREDENTIALS.privateKeyFile(network, made);
                }
                System.out.println(kind + " key of " + key.organisation + ": " + privateKey.toAbsolutePath()
                        + " (0600, signs from " + key.from + " to " + key.to + ")");
                return call.propose(
                        current,
                        changeKeys(current, key.organisation, kind, lines -> lines.add(line)),
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
                for (ConsortiumDocument.Organisation organisation : current.organisations()) {
                    for (Kind kind : Kind.values()) {
                        if (lines(organisation, kind).stream()
                                .anyMatch(line -> keyId(line, kind).equals(keyId))) {
                            return call.propose(
                                    current,
                                    changeKeys(
                                            current,
                                            organisation.mspId(),
                                            kind,
                                            lines -> lines.removeIf(
                                                    line -> keyId(line, kind).equals(keyId))),
                                    "remove " + kind + " key " + keyId + " of " + organisation.mspId());
                        }
                    }
                }
                throw new IllegalArgumentException("the consortium in force lists no card or credential key " + keyId);
            }
        }
    }

    /** @return the key id of a line of that kind */
    static String keyId(String line, Kind kind) {
        return kind == Kind.card
                ? CardKey.parse(line).keyIdHex()
                : CredentialKey.parse(line).keyIdHex();
    }

    /** @return the organisation's key lines of that kind */
    static List<String> lines(ConsortiumDocument.Organisation organisation, Kind kind) {
        return kind == Kind.card ? organisation.cardKeys() : organisation.credentialKeys();
    }

    private static List<ConsortiumDocument.Organisation> changeKeys(
            ConsortiumDocument current, String mspId, Kind kind, Consumer<List<String>> change) {
        return current.organisationsWith(mspId, organisation -> {
            List<String> lines = new ArrayList<>(lines(organisation, kind));
            change.accept(lines);
            return kind == Kind.card
                    ? organisation.withKeys(lines, organisation.credentialKeys())
                    : organisation.withKeys(organisation.cardKeys(), lines);
        });
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
