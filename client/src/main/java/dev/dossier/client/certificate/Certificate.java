package dev.dossier.client.certificate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dossier.client.Dossier;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.Verification;
import dev.dossier.client.digest.Canonical;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.ReceiptException;
import dev.dossier.common.receipt.VerifiedReceipt;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a worker holds for one training record: the record, its salt, its commitment, the node that serves it and a
 * {@link Receipt} proving, offline, that the consortium's ledger holds the commitment. Its JSON form (ASCII only,
 * non-ASCII characters escaped) is the certificate file; a certificate PDF embeds it uncompressed, so the verify page
 * and {@link #parse} find it by its opening {@value #MARKER}:
 *
 * <pre>{@code
 * {"format":"dossier-certificate/v1","record":{...},"salt":"<64 hex>","commitment":"<64 hex>",
 *  "node":"http://127.0.0.1:9051","receipt":"<compact receipt, base64url>"}
 * }</pre>
 *
 * <p>The certificate holds personal data (the record); hand it only to whoever should see the record. Its QR code
 * holds only the receipt and the node's address.
 *
 * @param record the record's JSON object, exactly as committed (see {@link TrainingRecord#toJson()})
 * @param salt the record's salt, 64 lowercase hex digits
 * @param commitment the record's commitment, 64 lowercase hex digits
 * @param node the base URL of the node that serves the verify page and the record's current status
 * @param receipt the compact receipt ({@link Receipt#encode()})
 */
public record Certificate(String record, String salt, String commitment, URI node, String receipt) {
    /** The format name, and how the certificate's JSON begins. */
    public static final String FORMAT = "dossier-certificate/v1";

    static final String MARKER = "{\"format\":\"" + FORMAT + "\"";

    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    public Certificate {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** @return the certificate of a record anchored with {@code salt}, whose receipt {@code receipt} the node gave */
    public static Certificate of(TrainingRecord record, byte[] salt, URI node, Receipt receipt) {
        Commitment commitment = Commitments.record(salt, record.canonicalJson());
        if (!commitment.toString().equals(receipt.commitmentHex())) {
            throw new IllegalArgumentException(
                    "the receipt is for " + receipt.commitmentHex() + ", the record's commitment is " + commitment);
        }
        return new Certificate(
                record.toJson(), HexFormat.of().formatHex(salt), commitment.toString(), node, receipt.encode());
    }

    /** @return the URL the certificate's QR code holds: the node's verify page, with the receipt */
    public String verifyUrl() {
        String base = node.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/verify#r=" + receipt;
    }

    /** @return the certificate file's JSON, on one line, ASCII only */
    public String toJson() {
        try {
            ObjectNode out = MAPPER.createObjectNode();
            out.put("format", FORMAT);
            out.set("record", MAPPER.readTree(record));
            out.put("salt", salt);
            out.put("commitment", commitment);
            out.put("node", node.toString());
            out.put("receipt", receipt);
            return MAPPER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the certificate's record is not JSON", e);
        }
    }

    /**
     * Reads a certificate file: its JSON, or a certificate PDF with the JSON embedded.
     *
     * @throws IOException if the content holds no certificate, or it is malformed
     */
    public static Certificate parse(byte[] content) throws IOException {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int start = text.indexOf(MARKER);
        if (start < 0) {
            throw new IOException("not a Dossier certificate: no " + MARKER + "...");
        }
        int end = text.startsWith("%PDF") ? text.indexOf("endstream", start) : text.length();
        if (end < 0) {
            throw new IOException("the certificate in this PDF is cut short");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text.substring(start, end).strip());
        } catch (JsonProcessingException e) {
            throw new IOException("the certificate is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.path("record").isObject()) {
            throw new IOException("the certificate has no record object");
        }
        try {
            return new Certificate(
                    MAPPER.writeValueAsString(node.get("record")),
                    required(node, "salt"),
                    required(node, "commitment"),
                    URI.create(required(node, "node")),
                    required(node, "receipt"));
        } catch (IllegalArgumentException e) {
            throw new IOException("the certificate's node is not a URL: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String name) throws IOException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IOException("the certificate has no " + name);
        }
        return value.asText();
    }

    /**
     * Verifies the certificate offline against the consortium's pinned keys: the record and salt hash to the
     * commitment, and the receipt proves that commitment in the ledger as of its checkpoint. The verdict is VALID or
     * EXPIRED by the entry as anchored, as of the checkpoint's time ({@link Verification#asOf()}); revocation needs a
     * node ({@link Dossier#verify(Commitment)}). TAMPERED says which check failed.
     */
    public Verification verify(TrustFile trust, LocalDate today) {
        Commitment claimed;
        try {
            claimed = Commitment.fromHex(commitment);
        } catch (IllegalArgumentException e) {
            return Verification.tampered(
                    Commitment.of(new byte[32]), "the certificate's commitment is malformed: " + e.getMessage());
        }
        Commitment computed;
        try {
            computed = Commitments.record(HexFormat.of().parseHex(salt), Canonical.jcs(record));
        } catch (IllegalArgumentException e) {
            return Verification.tampered(claimed, "the certificate's record or salt is malformed: " + e.getMessage());
        }
        if (!computed.equals(claimed)) {
            return Verification.tampered(computed, claimed);
        }
        return verifyReceipt(receipt, claimed, trust, today);
    }

    /**
     * Verifies a compact receipt offline, as {@link #verify} does once the record's hash is checked.
     *
     * @param expected the commitment the receipt must be for, or null to take the receipt's own
     */
    public static Verification verifyReceipt(String receipt, Commitment expected, TrustFile trust, LocalDate today) {
        Receipt decoded;
        try {
            decoded = Receipt.decode(receipt);
        } catch (ReceiptException e) {
            return Verification.tampered(expected == null ? Commitment.of(new byte[32]) : expected, e.getMessage());
        }
        Commitment proven = Commitment.of(decoded.commitment());
        if (expected != null && !expected.equals(proven)) {
            return Verification.tampered(expected, "the receipt is for " + proven + ", not for " + expected);
        }
        VerifiedReceipt verified;
        try {
            verified = decoded.verify(trust);
        } catch (ReceiptException e) {
            return Verification.tampered(proven, "the receipt does not verify: " + e.getMessage());
        }
        LedgerEntry anchored;
        try {
            anchored = LedgerEntry.parse(verified.entry());
        } catch (IOException e) {
            return Verification.tampered(proven, "the receipt's entry is malformed: " + e.getMessage());
        }
        return Verification.asOf(proven, anchored, verified.checkpoint().instant(), today);
    }
}
