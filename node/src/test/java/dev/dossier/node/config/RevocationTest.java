package dev.dossier.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationTest {
    @Test
    void revoke_addsToTheOrganisationsList_andTheValidatorRefusesOnlyThoseCertificates(@TempDir Path dir)
            throws Exception {
        Consortium consortium = CryptoGen.generate(dir, 2, "dossier", "notary", 7051);
        String employer = "Employer@org1.dossier.local";
        String inspector = "Inspector@org1.dossier.local";

        Path crl = CryptoGen.revoke(consortium, employer, Duration.ofDays(30));
        assertThat(CryptoGen.revoke(consortium, inspector, Duration.ofDays(30))).isEqualTo(crl);
        CryptoGen.revoke(consortium, inspector, Duration.ofDays(30)); // again: listed once

        assertThat(crl)
                .isEqualTo(Consortium.crlDirectory(consortium.organisations().get(0))
                        .resolve("crl.pem"));
        assertThat(consortium.msps().get(0).revocationLists())
                .singleElement()
                .satisfies(list -> assertThat(list.getRevokedCertificates()).hasSize(2));
        assertThat(consortium.msps().get(1).revocationLists()).isEmpty();
        IdentityValidator validator = new IdentityValidator(consortium.msps());
        for (String revoked : new String[] {employer, inspector}) {
            assertThatThrownBy(
                            () -> validator.validate(consortium.signer(revoked).serializedIdentity()))
                    .isInstanceOf(IdentityException.class)
                    .hasMessageContaining("revoked: serial")
                    .hasMessageContaining("CN=ca.org1.dossier.local");
        }
        assertThat(validator
                        .validate(consortium.signer("Issuer@org1.dossier.local").serializedIdentity())
                        .mspId())
                .isEqualTo("Org1MSP");
        assertThat(validator
                        .validate(
                                consortium.signer("Employer@org2.dossier.local").serializedIdentity())
                        .mspId())
                .isEqualTo("Org2MSP");
    }

    @Test
    void revocationListOfAnotherOrganisationsCa_isRefused(@TempDir Path dir) throws Exception {
        Consortium consortium = CryptoGen.generate(dir, 2, "dossier", "notary", 7051);
        Path org2List = CryptoGen.revoke(consortium, "Employer@org2.dossier.local", Duration.ofDays(30));
        Path org1Directory = Consortium.crlDirectory(consortium.organisations().get(0));
        Files.createDirectories(org1Directory);
        Files.copy(org2List, org1Directory.resolve("foreign.pem"));

        assertThatThrownBy(() -> new IdentityValidator(consortium.msps()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not from a CA of Org1MSP");
    }

    @Test
    void revoke_unknownName_throws(@TempDir Path dir) throws Exception {
        Consortium consortium = CryptoGen.generate(dir, 1, "dossier", "notary", 7051);
        assertThatThrownBy(() -> CryptoGen.revoke(consortium, "Nobody@org1.dossier.local", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node or user Nobody@org1.dossier.local");
    }
}
