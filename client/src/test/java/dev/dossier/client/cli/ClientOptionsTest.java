package dev.dossier.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.common.card.CardKey;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.config.OrganisationKeys;
import dev.dossier.node.log.TrustFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClientOptionsTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private static ClientOptions parse(String... args) {
        return CommandLine.populateCommand(new ClientOptions(), args);
    }

    /** A consortium directory as network init makes it, with its trust.txt listing the card keys added so far. */
    private static Consortium network(Path network) throws Exception {
        return CryptoGen.generate(network, 1, "dossier", "notary", 7051);
    }

    private static void writeTrust(Path network, Consortium consortium) throws Exception {
        Files.writeString(
                network.resolve("trust.txt"),
                TrustFiles.of(consortium)
                        .withCardKeys(OrganisationKeys.CARDS.load(network.resolve(OrganisationKeys.CARDS.fileName())))
                        .format());
    }

    @Test
    void cardKey_withNetwork_isTheOrganisationsCurrentKey_notAnOldOrFutureOne(@TempDir Path directory)
            throws Exception {
        Path network = directory.resolve("network");
        Consortium consortium = network(network);
        OrganisationKeys.CARDS.add(network, "Org1MSP", TODAY.minusYears(2), TODAY.plusDays(30));
        CardKey current = OrganisationKeys.CARDS.add(network, "Org1MSP", TODAY.minusDays(1), TODAY.plusYears(3));
        OrganisationKeys.CARDS.add(network, "Org1MSP", TODAY.plusDays(10), TODAY.plusYears(4));
        writeTrust(network, consortium);

        ClientOptions options = parse("--network", network.toString());

        assertThat(options.cardKeyFile())
                .isEqualTo(network.resolve("cards").resolve("Org1MSP").resolve(current.keyIdHex() + ".key"));
        assertThat(options.signsCards()).isTrue();
    }

    @Test
    void cardKey_givenExplicitly_winsOverTheNetworksKey(@TempDir Path directory) throws Exception {
        Path network = directory.resolve("network");
        Consortium consortium = network(network);
        OrganisationKeys.CARDS.add(network, "Org1MSP", TODAY.minusDays(1), TODAY.plusYears(3));
        writeTrust(network, consortium);
        Path explicit = directory.resolve("other.key");

        ClientOptions options = parse("--network", network.toString(), "--card-key", explicit.toString());

        assertThat(options.cardKeyFile()).isEqualTo(explicit);
    }

    @Test
    void cardKey_networkWithoutCardKeys_orNoNetwork_signsNoCard(@TempDir Path directory) throws Exception {
        Path network = directory.resolve("network");
        writeTrust(network, network(network));

        assertThat(parse("--network", network.toString()).signsCards()).isFalse();
        assertThat(parse("--endpoint", "localhost:7051").signsCards()).isFalse();
    }
}
