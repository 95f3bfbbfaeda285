package dev.dossier.client.credential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.TestData;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialCheck;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.Dids;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.Ed25519PrivateKey;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credential of a record: the micro-credential elements where the mapping table says, signed, digest stable. */
class OpenBadgesTest {
    private static final Commitment RECORD = Commitment.fromHex("ab".repeat(32));
    private static final OpenBadges.StatusPosition STATUS =
            new OpenBadges.StatusPosition("http://localhost:9051/v1/status-lists/0", 41);

    private static TrainingRecord record(Map<String, String> row) {
        ValidatedRow validated = new RecordValidator().validate(new RawRow(1, row, List.of()));
        assertThat(validated.violations()).isEmpty();
        return validated.record();
    }

    private static CredentialIssuer issuer(Ed25519PrivateKey key) {
        CredentialKey listed = new CredentialKey(
                "Org1MSP",
                LocalDate.of(2025, 1, 1),
                LocalDate.of(2030, 12, 31),
                new VerificationKey.Ed25519(key.publicKey()));
        return CredentialIssuer.listed(key, List.of(listed), "localhost:9051");
    }

    @Test
    void theAchievementCarriesTheRecordsElements_andNamesTheAbsentOnes() throws Exception {
        Map<String, String> row = TestData.vectorRow();
        row.put("ects", "1.5");
        row.put("eqf_level", "3");
        row.put("provider_accreditation", "ACCR-LAZ-0412");
        row.put("course_code", "SIC-PS");
        row.put("sector", "edilizia");
        row.put("atlante_ada", "ADA.21.01.03");
        row.put("esco_skills", "http://data.europa.eu/esco/skill/ae97ba94;http://data.europa.eu/esco/skill/1b2c3d4e");
        row.put("language", "it");
        TrainingRecord record = record(row);
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        IssuedCredential issued = issuer(key).issue(record, RECORD, STATUS, Instant.parse("2026-01-02T03:04:05Z"));
        JsonObject credential = CredentialCheck.parse(issued.json());

        assertThat(credential.getString("validFrom")).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(credential.getJsonObject("issuer").getString("id")).isEqualTo("did:web:localhost%3A9051:Org1MSP");
        JsonObject achievement = credential.getJsonObject("credentialSubject").getJsonObject("achievement");
        assertThat(achievement.getString("name")).isEqualTo("Addetto primo soccorso");
        assertThat(achievement.getString("achievementType")).isEqualTo("MicroCredential");
        assertThat(achievement.getJsonNumber("creditsAvailable").doubleValue()).isEqualTo(1.5);
        assertThat(achievement.getJsonArray("alignment").getJsonObject(0).getString("targetUrl"))
                .isEqualTo("http://data.europa.eu/snb/eqf/3");
        assertThat(achievement.getJsonObject("creator").getString("name")).isEqualTo("Scuola Edile di Roma");
        assertThat(achievement
                        .getJsonObject("creator")
                        .getJsonArray("otherIdentifier")
                        .getJsonObject(0)
                        .getString("identifier"))
                .isEqualTo("ACCR-LAZ-0412");
        assertThat(achievement.getJsonArray("alignment")).hasSize(4);
        assertThat(achievement.getString("humanCode")).isEqualTo("SIC-PS");
        assertThat(achievement.getJsonArray("tag").getString(0)).isEqualTo("safety-module:primo_soccorso");
        String narrative = achievement.getJsonObject("criteria").getString("narrative");
        assertThat(narrative)
                .contains("- Notional workload (hours): 12")
                .contains("- Form of participation: onsite")
                .contains("- Type of assessment: practical test")
                .contains("- Quality assurance: Regional accreditation")
                .contains("- Country of the awarding body: IT")
                .contains("- Prerequisites: not stated in the record");
        assertThat(credential.getJsonArray("evidence").getJsonObject(0).getString("id"))
                .isEqualTo("urn:dossier:record:" + "ab".repeat(32));
        JsonObject status = credential.getJsonObject("credentialStatus");
        assertThat(status.getString("type")).isEqualTo("BitstringStatusListEntry");
        assertThat(status.getString("statusListIndex")).isEqualTo("41");
        assertThat(credential.getString("validUntil")).endsWith("T23:59:59Z");

        CredentialCheck.Checked checked = CredentialCheck.check(
                credential,
                method -> {
                    assertThat(Dids.web(method).fragment()).startsWith("key-");
                    return new VerificationKey.Ed25519(key.publicKey());
                },
                Contexts.bundled());
        assertThat(checked.proof().cryptosuite()).isEqualTo("eddsa-rdfc-2022");
        assertThat(checked.status().index()).isEqualTo(41);
        assertThat(CredentialIssuer.digest(issued.json())).isEqualTo(issued.digest());
        assertThat(CredentialIssuer.digest(credential.toString().replace(",", ", ")))
                .isEqualTo(issued.digest());
    }
}
