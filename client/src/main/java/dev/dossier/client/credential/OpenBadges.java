package dev.dossier.client.credential;

import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.Field;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.credential.Contexts;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The unsigned {@code OpenBadgeCredential} (VC 2.0 and Open Badges 3.0.3) of a training record. Its achievement
 * carries the EU micro-credential elements (Council Recommendation 2022/C 243/02, Annex I) that the record has, in the
 * Open Badges property that fits, and names those it lacks as "not stated in the record" in the criteria, never
 * inventing a value. The mapping, element by element, is the table of {@code docs/credentials.md}.
 */
public final class OpenBadges {
    /** Where a credential's status bit is. */
    public record StatusPosition(String statusListCredential, long index) {
        public StatusPosition {
            Objects.requireNonNull(statusListCredential, "statusListCredential");
            if (index < 0) {
                throw new IllegalArgumentException("a status list index is not negative: " + index);
            }
        }
    }

    private OpenBadges() {}

    /**
     * @param issuer the issuing organisation's DID
     * @param issuerName the issuing organisation's name (its MSP id when nothing better is known)
     * @param recordCommitment the record's commitment, which the credential names as its evidence
     * @param id the credential's id, such as {@code urn:uuid:...}
     * @return the credential without proof
     */
    public static JsonObject credential(
            TrainingRecord record,
            Commitment recordCommitment,
            String issuer,
            String issuerName,
            StatusPosition status,
            UUID id) {
        JsonObjectBuilder credential = Json.createObjectBuilder()
                .add("@context", Json.createArrayBuilder().add(Contexts.VC_V2).add(Contexts.OB_V3))
                .add("id", "urn:uuid:" + id)
                .add(
                        "type",
                        Json.createArrayBuilder().add("VerifiableCredential").add("OpenBadgeCredential"))
                .add(
                        "issuer",
                        Json.createObjectBuilder()
                                .add("id", issuer)
                                .add("type", Json.createArrayBuilder().add("Profile"))
                                .add("name", issuerName))
                .add("name", record.value(Field.COURSE_TITLE))
                .add("validFrom", record.issueDate() + "T00:00:00Z")
                .add("awardedDate", record.issueDate() + "T00:00:00Z");
        record.validUntil().ifPresent(day -> credential.add("validUntil", endOf(day)));
        return credential
                .add("credentialSubject", subject(record, recordCommitment))
                .add(
                        "evidence",
                        Json.createArrayBuilder()
                                .add(
                                        Json.createObjectBuilder()
                                                .add("id", "urn:dossier:record:" + recordCommitment)
                                                .add(
                                                        "type",
                                                        Json.createArrayBuilder()
                                                                .add("Evidence"))
                                                .add("name", "Training record anchored on the Dossier ledger")
                                                .add(
                                                        "description",
                                                        "The commitment of the training record this credential attests: its"
                                                                + " entry on the ledger says whether the record is still active.")))
                .add(
                        "credentialStatus",
                        Json.createObjectBuilder()
                                .add("id", status.statusListCredential() + "#" + status.index())
                                .add("type", "BitstringStatusListEntry")
                                .add("statusPurpose", "revocation")
                                .add("statusListIndex", Long.toString(status.index()))
                                .add("statusListCredential", status.statusListCredential()))
                .build();
    }

    private static JsonObject subject(TrainingRecord record, Commitment recordCommitment) {
        JsonArrayBuilder identifiers = Json.createArrayBuilder()
                .add(identity(
                        "name", record.value(Field.WORKER_GIVEN_NAME) + " " + record.value(Field.WORKER_FAMILY_NAME)));
        if (record.value(Field.WORKER_BIRTH_DATE) != null) {
            identifiers.add(identity("ext:birthDate", record.value(Field.WORKER_BIRTH_DATE)));
        }
        JsonObjectBuilder subject = Json.createObjectBuilder()
                .add("type", Json.createArrayBuilder().add("AchievementSubject"))
                .add("identifier", identifiers)
                .add("achievement", achievement(record));
        add(subject, "activityStartDate", dateTime(record.value(Field.START_DATE)));
        add(subject, "activityEndDate", dateTime(record.value(Field.END_DATE)));
        return subject.build();
    }

    private static JsonObject achievement(TrainingRecord record) {
        String code = record.value(Field.COURSE_CODE);
        String title = record.value(Field.COURSE_TITLE);
        JsonObjectBuilder achievement = Json.createObjectBuilder()
                .add("id", "urn:dossier:achievement:" + encode(code != null ? code : title))
                .add("type", Json.createArrayBuilder().add("Achievement"))
                .add("achievementType", "MicroCredential")
                .add("name", title)
                .add(
                        "description",
                        record.value(Field.LEARNING_OUTCOMES) != null ? record.value(Field.LEARNING_OUTCOMES) : title)
                .add("criteria", Json.createObjectBuilder().add("narrative", narrative(record)))
                .add("creator", creator(record));
        add(achievement, "humanCode", code);
        add(achievement, "fieldOfStudy", record.value(Field.SECTOR));
        add(achievement, "inLanguage", record.value(Field.LANGUAGE));
        if (record.value(Field.ECTS) != null) {
            achievement.add("creditsAvailable", new BigDecimal(record.value(Field.ECTS)));
        }
        if (record.value(Field.SAFETY_MODULE) != null) {
            achievement.add("tag", Json.createArrayBuilder().add("safety-module:" + record.value(Field.SAFETY_MODULE)));
        }
        JsonArrayBuilder alignment = Json.createArrayBuilder();
        boolean aligned = false;
        if (record.value(Field.EQF_LEVEL) != null) {
            alignment.add(alignment(
                    "EQF level " + record.value(Field.EQF_LEVEL),
                    "http://data.europa.eu/snb/eqf/" + record.value(Field.EQF_LEVEL),
                    "European Qualifications Framework",
                    record.value(Field.EQF_LEVEL)));
            aligned = true;
        }
        if (record.value(Field.ESCO_SKILLS) != null) {
            for (String skill : record.value(Field.ESCO_SKILLS).split(";")) {
                alignment.add(alignment("ESCO skill", skill.strip(), "ESCO", null));
                aligned = true;
            }
        }
        if (record.value(Field.ATLANTE_ADA) != null) {
            alignment.add(alignment(
                    "Atlante del lavoro " + record.value(Field.ATLANTE_ADA),
                    "urn:atlante-lavoro:" + encode(record.value(Field.ATLANTE_ADA)),
                    "Atlante del lavoro e delle qualificazioni (INAPP)",
                    record.value(Field.ATLANTE_ADA)));
            aligned = true;
        }
        if (aligned) {
            achievement.add("alignment", alignment);
        }
        return achievement.build();
    }

    /** The elements without an Open Badges property of their own, stated or said to be absent. */
    static String narrative(TrainingRecord record) {
        List<String> lines = new ArrayList<>();
        lines.add("EU micro-credential elements (Council Recommendation 2022/C 243/02):");
        lines.add(line("Learning outcomes", record.value(Field.LEARNING_OUTCOMES)));
        lines.add(line("Notional workload (hours)", record.value(Field.WORKLOAD_HOURS)));
        lines.add(line("ECTS credits", record.value(Field.ECTS)));
        lines.add(line("EQF level", record.value(Field.EQF_LEVEL)));
        lines.add(line("Type of assessment", record.value(Field.ASSESSMENT_TYPE)));
        lines.add(line("Form of participation", record.value(Field.DELIVERY_MODE)));
        lines.add(line("Quality assurance", record.value(Field.QUALITY_ASSURANCE)));
        lines.add(line("Awarding body", awardingBody(record)));
        lines.add(line("Country of the awarding body", record.value(Field.COUNTRY)));
        lines.add(line("Date of issuing", record.value(Field.ISSUE_DATE)));
        lines.add(line("Safety module", record.value(Field.SAFETY_MODULE)));
        lines.add(line("Valid until", record.value(Field.VALID_UNTIL)));
        lines.add(line("Prerequisites", null));
        lines.add(line("Supervision and identity verification during assessment", null));
        lines.add(line("Integration / stackability options", null));
        return String.join("\n", lines);
    }

    private static String line(String element, String value) {
        return "- " + element + ": " + (value == null ? "not stated in the record" : value);
    }

    private static String awardingBody(TrainingRecord record) {
        String name = record.value(Field.PROVIDER_NAME);
        String accreditation = record.value(Field.PROVIDER_ACCREDITATION);
        return accreditation == null ? name : name + " (accreditation " + accreditation + ")";
    }

    private static JsonObject creator(TrainingRecord record) {
        String accreditation = record.value(Field.PROVIDER_ACCREDITATION);
        JsonObjectBuilder creator = Json.createObjectBuilder()
                .add(
                        "id",
                        "urn:dossier:provider:"
                                + encode(accreditation != null ? accreditation : record.value(Field.PROVIDER_NAME)))
                .add("type", Json.createArrayBuilder().add("Profile"))
                .add("name", record.value(Field.PROVIDER_NAME));
        if (accreditation != null) {
            creator.add(
                    "otherIdentifier",
                    Json.createArrayBuilder()
                            .add(Json.createObjectBuilder()
                                    .add("type", "IdentifierEntry")
                                    .add("identifier", accreditation)
                                    .add("identifierType", "identifier")));
        }
        if (record.value(Field.COUNTRY) != null) {
            creator.add(
                    "address",
                    Json.createObjectBuilder()
                            .add("type", Json.createArrayBuilder().add("Address"))
                            .add("addressCountryCode", record.value(Field.COUNTRY)));
        }
        return creator.build();
    }

    private static JsonObject identity(String type, String value) {
        return Json.createObjectBuilder()
                .add("type", "IdentityObject")
                .add("hashed", false)
                .add("identityHash", value)
                .add("identityType", type)
                .build();
    }

    private static JsonObject alignment(String name, String url, String framework, String code) {
        JsonObjectBuilder alignment = Json.createObjectBuilder()
                .add("type", Json.createArrayBuilder().add("Alignment"))
                .add("targetName", name)
                .add("targetUrl", url)
                .add("targetFramework", framework);
        add(alignment, "targetCode", code);
        return alignment.build();
    }

    private static void add(JsonObjectBuilder builder, String name, String value) {
        if (value != null) {
            builder.add(name, value);
        }
    }

    private static String dateTime(String day) {
        return day == null ? null : day + "T00:00:00Z";
    }

    private static String endOf(LocalDate day) {
        return day + "T23:59:59Z";
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
