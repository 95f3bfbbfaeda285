package dev.dossier.node.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.config.Consortium;
import dev.dossier.node.config.CryptoGen;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys a consortium document gives verifiers, and the rules its key lines obey. */
class ConsortiumDocumentKeysTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 6);

    @TempDir
    Path directory;

    @Test
    void trustFile_pinsEachNodesSigningKeyUnderItsName_aMajority_andTheCardKeys() throws Exception {
        Path network = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(network, 3, "dossier", "notary", 7051);
        CardKey card = cardKey("Org2MSP", P256PrivateKey.generate());
        ConsortiumDocument document = withCardKeys(ConsortiumFiles.genesis(consortium, network), 1, card.line());

        TrustFile trust = document.trustFile();

        assertThat(trust.origin()).isEqualTo("dossier/dossier/notary");
        assertThat(trust.cosigners()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            Consortium.Node node = consortium.nodes().get(i);
            assertThat(trust.keys().get(i).name()).isEqualTo(node.name());
            assertThat(trust.keys().get(i).keyId())
                    .isEqualTo(NoteVerifier.keyId(
                            Pem.readCertificate(node.certificate()).getPublicKey()));
        }
        assertThat(trust.cardKeys()).containsExactly(card);
        assertThat(TrustFile.parse(trust.format()).format()).isEqualTo(trust.format());
    }

    @Test
    void oneCardKeyListedTwice_evenUnderTwoOrganisations_isMalformed() throws Exception {
        Path network = directory.resolve("network");
        Consortium consortium = CryptoGen.generate(network, 2, "dossier", "notary", 7051);
        ConsortiumDocument genesis = ConsortiumFiles.genesis(consortium, network);
        P256PrivateKey key = P256PrivateKey.generate();
        ConsortiumDocument twice = withCardKeys(
                withCardKeys(genesis, 0, cardKey("Org1MSP", key).line()),
                1,
                cardKey("Org2MSP", key).line());

        assertThatThrownBy(twice::checked)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "duplicate card key id " + cardKey("Org1MSP", key).keyIdHex());
    }

    private static CardKey cardKey(String organisation, P256PrivateKey key) {
        return new CardKey(organisation, DAY, DAY.plusYears(1), key.publicKey().subjectPublicKeyInfo());
    }

    private static ConsortiumDocument withCardKeys(ConsortiumDocument document, int organisation, String line) {
        ConsortiumDocument.Organisation changed = document.organisations().get(organisation);
        return document.with(
                document.sequence(),
                document.organisationsWith(changed.mspId(), o -> o.withKeys(List.of(line), o.credentialKeys())));
    }
}
