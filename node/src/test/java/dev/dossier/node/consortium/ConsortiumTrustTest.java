package dev.dossier.node.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import dev.dossier.node.ledger.HistoryEntry;
import dev.dossier.node.ledger.StateEntry;
import dev.dossier.node.ledger.StateReader;
import dev.dossier.node.ledger.VersionedValue;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The earlier key sets of a consortium's trust file, from the history of its document and the log's sizes. */
class ConsortiumTrustTest {
    @TempDir
    Path directory;

    private Consortium consortium;
    private ConsortiumDocument genesis;
    /** The consortium document's writes, newest first, as a ledger's history gives them. */
    private final List<HistoryEntry> writes = new ArrayList<>();

    @BeforeEach
    void network() throws Exception {
        Path network = directory.resolve("network");
        consortium = CryptoGen.generate(network, 3, "dossier", "notary", 7051);
        genesis = ConsortiumFiles.genesis(consortium, network);
    }

    @Test
    void aChangeOfTheNodes_keepsTheKeysOfBefore_upToTheLogsSizeBeforeTheChangesBlock() {
        ConsortiumDocument withCard = withCardKey(genesis, 1);
        ConsortiumDocument withoutOrg3 = withoutNodesOf(withCard, "Org3MSP");
        write(0, genesis);
        write(5, withCard); // card keys only: the node keys stay
        write(9, withoutOrg3);
        write(12, withCardKey(withoutOrg3, 2));

        TrustFile trust = ConsortiumTrust.of(ledger(), block -> OptionalLong.of(10 * block + 1));

        List<String> all =
                consortium.nodes().stream().map(Consortium.Node::name).toList();
        assertThat(trust.keys()).extracting(NoteVerifier.Key::name).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(trust.cosigners()).isEqualTo(2);
        assertThat(trust.cardKeys()).hasSize(2);
        assertThat(trust.earlier()).hasSize(1);
        TrustFile.Earlier earlier = trust.earlier().get(0);
        assertThat(earlier.maxSize()).as("the log's size after block 8").isEqualTo(81);
        assertThat(earlier.cosigners()).isEqualTo(2);
        assertThat(earlier.keys()).extracting(NoteVerifier.Key::name).containsExactlyElementsOf(all);
        assertThat(earlier.keys()).isEqualTo(genesis.trustFile().keys());
    }

    @Test
    void aLogBehindTheChange_leavesItsKeySetOut() {
        write(0, genesis);
        write(9, withoutNodesOf(genesis, "Org3MSP"));

        TrustFile trust = ConsortiumTrust.of(ledger(), block -> OptionalLong.empty());

        assertThat(trust.earlier()).isEmpty();
        assertThat(trust.keys()).hasSize(2);
    }

    @Test
    void anUnchangedConsortium_hasNoEarlierKeySet() {
        write(0, genesis);

        assertThat(ConsortiumTrust.of(ledger(), block -> OptionalLong.of(block)).format())
                .isEqualTo(genesis.trustFile().format());
    }

    private void write(long block, ConsortiumDocument document) {
        writes.add(0, new HistoryEntry(block, "tx" + block, Instant.EPOCH, false, document.toJson()));
    }

    private StateReader ledger() {
        return new StateReader() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<StateEntry> range(String namespace, String startKey, String endKey, int limit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, ByteString> metadata(String namespace, String key) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<HistoryEntry> history(String namespace, String key) {
                assertThat(namespace).isEqualTo(ConsortiumChanges.NAMESPACE);
                assertThat(key).isEqualTo(ConsortiumChanges.CONFIG_KEY);
                return List.copyOf(writes);
            }
        };
    }

    private static ConsortiumDocument withCardKey(ConsortiumDocument document, long sequence) {
        ConsortiumDocument.Organisation org1 = document.organisations().get(0);
        LocalDate day = LocalDate.of(2026, 12, 7);
        String line = new CardKey(
                        org1.mspId(),
                        day,
                        day.plusYears(1),
                        P256PrivateKey.generate().publicKey().subjectPublicKeyInfo())
                .line();
        List<String> keys = new ArrayList<>(org1.cardKeys());
        keys.add(line);
        return document.with(
                sequence, document.organisationsWith(org1.mspId(), o -> o.withKeys(keys, o.credentialKeys())));
    }

    private static ConsortiumDocument withoutNodesOf(ConsortiumDocument document, String mspId) {
        return document.with(document.sequence() + 1, document.organisationsWith(mspId, o -> o.withNodes(List.of())));
    }
}
