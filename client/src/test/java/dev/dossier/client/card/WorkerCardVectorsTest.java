package dev.dossier.client.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zxing.EncodeHintType;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Mode;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.common.card.WorkerCardCheck;
import dev.dossier.common.card.WorkerCardVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.crypto.P256PrivateKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker's safety card's golden vectors, {@code src/test/resources/vectors/worker-card-v1.json}, checked by the
 * verify page's tests too ({@code src/test/web/worker-card.test.mjs}): each card is re-signed from the facts written
 * here and must be the same text (RFC 6979), then verifies to its verdict, facts and module statuses, which are
 * written by hand in {@link #cases}, not computed. The keys and trust file are those of {@code card-v1.json}: the same
 * keys sign both kinds of card. {@code -Ddossier.writeCardVectors=true} rewrites the file after a deliberate format
 * change. Also the size bar: 8 modules with the longest safety module codes and cut titles fit QR version 25 at error
 * correction Q, in alphanumeric mode.
 */
class WorkerCardVectorsTest {
    static final Path FILE = Path.of("src/test/resources/vectors/worker-card-v1.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Instant SIGNED_AT = Instant.parse("2025-06-02T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 1);

    /** A module of the vectors: code, title as given to the card (before the cut), valid until, expected status. */
    private record M(String code, String title, String validUntil, String status) {}

    private static final List<M> EIGHT = List.of(
            new M(
                    "attrezzature_pompe_calcestruzzo",
                    "Addetto alla conduzione di pompe per calcestruzzo",
                    "2029-05-31",
                    "VALID"),
            new M("attrezzature_gru_autocarro", "Operatore gru su autocarro, aggiornamento", "2026-04-15", "EXPIRING"),
            new M("attrezzature_ponteggi", "Montaggio e smontaggio ponteggi (PiMUS)", "2026-02-20", "EXPIRED"),
            new M("attrezzature_escavatori", "Escavatori idraulici e pale caricatrici", "2028-11-30", "VALID"),
            new M("antincendio", "Addetto antincendio livello 2 (ex rischio medio)", "2029-09-30", "VALID"),
            new M("primo_soccorso", "Addetto al primo soccorso gruppo B e C", "2027-01-31", "VALID"),
            new M("specifica_alto", "Formazione specifica lavoratori rischio alto", "2029-12-31", "VALID"),
            new M("generale", "Formazione generale dei lavoratori", null, "VALID"));

    /** Rows of the vectors: name, given and family names, birth date, modules, whose key signs, verdict. */
    private static List<Object[]> cases() {
        return List.of(
                new Object[] {
                    "eight-modules", "Maria Giuseppina", "Dell'Acqua Esposito", "1987-04-12", EIGHT, "trusted", "VALID"
                },
                new Object[] {"one-module", "Ion", "Colombo", null, EIGHT.subList(4, 5), "trusted", "VALID"},
                new Object[] {
                    "unknown-signer", "Ion", "Colombo", "1990-01-01", EIGHT.subList(0, 2), "untrusted", "UNKNOWN_SIGNER"
                });
    }

    @Test
    void vectors_matchTheFile() throws Exception {
        JsonNode file = CardVectorsTest.matchTheFile(FILE, generate());
        WorkerCardVerifier verifier = new WorkerCardVerifier(
                TrustFile.parse(file.get("trustFile").asText()).cardKeys());
        for (JsonNode vector : file.get("cards")) {
            String name = vector.get("name").asText();
            WorkerCardCheck check = verifier.verify(vector.get("text").asText(), TODAY);
            assertThat(check.verdict().name())
                    .as(name)
                    .isEqualTo(vector.get("verdict").asText());
            assertThat(check.digest()).as(name).isEqualTo(vector.get("digest").asText());
            if (!vector.has("facts")) {
                assertThat(check.card()).as(name).isNull();
                continue;
            }
            JsonNode facts = vector.get("facts");
            assertThat(check.card().givenName())
                    .isEqualTo(facts.get("givenName").asText());
            assertThat(check.card().familyName())
                    .isEqualTo(facts.get("familyName").asText());
            assertThat(String.valueOf(check.card().birthDate()))
                    .isEqualTo(facts.get("birthDate").asText("null"));
            JsonNode modules = facts.get("modules");
            assertThat(check.modules()).hasSize(modules.size());
            for (int i = 0; i < modules.size(); i++) {
                WorkerCardCheck.ModuleCheck module = check.modules().get(i);
                JsonNode m = modules.get(i);
                assertThat(module.module().code()).isEqualTo(m.get("code").asText());
                assertThat(module.module().title()).isEqualTo(m.get("title").asText());
                assertThat(String.valueOf(module.module().validUntil()))
                        .isEqualTo(m.get("validUntil").asText("null"));
                assertThat(module.module().prefixHex())
                        .isEqualTo(m.get("commitmentPrefix").asText());
                assertThat(module.status().name())
                        .as(name + " " + i)
                        .isEqualTo(m.get("status").asText());
            }
        }
    }

    @Test
    void sizeBar_eightModules_fitsVersion25AtQ_alphanumeric() throws Exception {
        JsonNode file = JSON.readTree(FILE.toFile());
        String text = file.get("cards").get(0).get("text").asText();
        assertThat(file.get("cards").get(0).get("facts").get("modules")).hasSize(WorkerCard.MAX_MODULES);
        QRCode qr = Encoder.encode(text, ErrorCorrectionLevel.Q, Map.of(EncodeHintType.ERROR_CORRECTION, "Q"));
        assertThat(qr.getMode()).isEqualTo(Mode.ALPHANUMERIC);
        assertThat(qr.getVersion().getVersionNumber())
                .as("%d characters", text.length())
                .isLessThanOrEqualTo(25);
    }

    @Test
    void nineModules_isAClearError() {
        List<WorkerCard.Module> nine = new ArrayList<>(modules(EIGHT));
        nine.add(modules(EIGHT).get(0));
        assertThatThrownBy(() -> new WorkerCard("Ion", "Colombo", null, nine, "Org1MSP", SIGNED_AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 8 modules, not 9");
    }

    private static List<WorkerCard.Module> modules(List<M> ms) {
        List<WorkerCard.Module> out = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            M m = ms.get(i);
            byte[] prefix = new byte[16];
            prefix[0] = (byte) (0xa0 + i);
            prefix[15] = (byte) 0x5c;
            out.add(new WorkerCard.Module(
                    m.code(),
                    WorkerCard.Module.cutTitle(m.title()),
                    m.validUntil() == null ? null : LocalDate.parse(m.validUntil()),
                    prefix));
        }
        return out;
    }

    private static ObjectNode generate() throws Exception {
        JsonNode cardVectors = JSON.readTree(CardVectorsTest.FILE.toFile());
        P256PrivateKey trusted =
                CardVectorsTest.key(cardVectors.get("trustedKeyPkcs8").asText());
        P256PrivateKey untrusted =
                CardVectorsTest.key(cardVectors.get("untrustedKeyPkcs8").asText());
        List<CardKey> listed =
                TrustFile.parse(cardVectors.get("trustFile").asText()).cardKeys();
        ObjectNode out = JSON.createObjectNode();
        out.put(
                "about",
                "Golden vectors of the worker's safety card (docs/card.md), checked by WorkerCardVectorsTest (Java) and"
                        + " worker-card.test.mjs (the verify page), on the day 'today'. Keys and trust file: those of"
                        + " card-v1.json.");
        out.put("today", TODAY.toString());
        out.put("trustFile", cardVectors.get("trustFile").asText());
        ArrayNode cards = out.putArray("cards");
        for (Object[] c : cases()) {
            @SuppressWarnings("unchecked")
            List<M> ms = (List<M>) c[4];
            boolean isTrusted = c[5].equals("trusted");
            CardIssuer issuer = isTrusted
                    ? CardIssuer.listed(trusted, listed)
                    : new CardIssuer(untrusted, CardVectorsTest.org1Key(untrusted));
            List<WorkerCard.Module> modules = modules(ms);
            String text = issuer.sign(new WorkerCard(
                    (String) c[1],
                    (String) c[2],
                    c[3] == null ? null : LocalDate.parse((String) c[3]),
                    modules,
                    "Org1MSP",
                    SIGNED_AT));
            ObjectNode vector = cards.addObject();
            vector.put("name", (String) c[0]);
            vector.put("text", text);
            vector.put("digest", HexFormat.of().formatHex(CardVectorsTest.sha256(text)));
            vector.put("verdict", (String) c[6]);
            if (!isTrusted) {
                continue;
            }
            ObjectNode facts = vector.putObject("facts");
            facts.put("givenName", (String) c[1]);
            facts.put("familyName", (String) c[2]);
            facts.put("birthDate", (String) c[3]);
            ArrayNode list = facts.putArray("modules");
            for (int i = 0; i < ms.size(); i++) {
                list.addObject()
                        .put("code", ms.get(i).code())
                        .put("title", modules.get(i).title())
                        .put("validUntil", ms.get(i).validUntil())
                        .put("commitmentPrefix", modules.get(i).prefixHex())
                        .put("status", ms.get(i).status());
            }
        }
        return out;
    }
}
