package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.certificate.Certificate;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.digest.HmacKey;
import dev.dossier.client.record.RawRow;
import dev.dossier.client.record.RecordValidator;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.record.ValidatedRow;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.crypto.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: an anonymous caller (no token, no certificate, as anyone who scanned a QR code) reads the public HTTP API to
 * rebuild a worker's dossier or link two certificates of one worker. Through a real node: an Issuer anchors two records
 * of the same worker with a subject pseudonym; the public {@code /v1/status}, {@code /v1/receipts}, {@code
 * /v1/checkpoint}, the receipts' leaf entries and the certificates' QR payloads carry the anchoring organisation but
 * neither the Issuer's DN (or any part of it naming the person) nor the worker's pseudonym, and the two receipts share
 * no value a scanner could link them by beyond the organisation, kind and dates.
 */
class PrivacyAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(60);

    @Test
    void anonymousCaller_getsNoIssuerDnAndNoSubjectPseudonym_fromStatusReceiptsCheckpointsOrQrCodes(
            @TempDir Path directory) throws Exception {
        try (LocalNode node = new LocalNode(directory.resolve("ledger"))) {
            Path keys = directory.resolve("keys");
            List<TrainingRecord> records = List.of(record("PRIV-1"), record("PRIV-2"));
            List<AnchorReceipt> anchored = new ArrayList<>();
            try (Gateway gateway = node.gateway("Issuer")) {
                Dossier issuer = LocalNode.dossier(gateway, keys);
                for (TrainingRecord record : records) {
                    anchored.add(issuer.anchor(record));
                }
            }
            String pseudonym = Commitments.pseudonym(
                    HmacKey.load(keys.resolve("sector-pseudonym.key")),
                    records.get(0).fiscalCode());
            assertThat(pseudonym).matches("[0-9a-f]{64}");
            X509Certificate issuerCertificate = issuerCertificate(node);
            String dn = issuerCertificate.getSubjectX500Principal().getName();
            List<String> secrets = List.of(
                    pseudonym,
                    pseudonym.toUpperCase(Locale.ROOT),
                    dn,
                    "Issuer@org1.dossier.local",
                    records.get(0).fiscalCode());

            URI base = URI.create(node.node.httpUrl());
            NodeApi api = new NodeApi(base);
            HttpClient http = HttpClient.newHttpClient();
            List<String> seen = new ArrayList<>();
            List<String> leafEntries = new ArrayList<>();
            for (AnchorReceipt receipt : anchored) {
                Commitment commitment = Commitment.fromHex(receipt.commitment());
                Receipt compact = api.receipt(commitment, RECEIPT_WAIT);
                String status = get(http, base, "/v1/status/" + commitment);
                String receiptJson = get(http, base, "/v1/receipts/" + commitment);
                JsonNode statusEntry = JSON.readTree(status);
                assertThat(statusEntry.get("mspId").asText()).isEqualTo("Org1MSP");
                assertThat(statusEntry.get("status").asText()).isEqualTo("active");
                assertThat(statusEntry.has("issuerId")).isFalse();
                assertThat(statusEntry.has("subject")).isFalse();
                String leafEntry = new String(compact.entry(), StandardCharsets.UTF_8);
                assertThat(JSON.readTree(leafEntry).get("mspId").asText()).isEqualTo("Org1MSP");
                leafEntries.add(leafEntry);
                Certificate certificate = Certificate.of(
                        records.get(anchored.indexOf(receipt)), HexFormat.of().parseHex(receipt.salt()), base, compact);
                String qr = certificate.verifyUrl();
                seen.add("status " + status);
                seen.add("receipt " + receiptJson);
                seen.add("leaf entry " + leafEntry);
                seen.add("QR " + qr);
                seen.add("QR receipt bytes "
                        + new String(
                                Base64.getUrlDecoder().decode(qr.substring(qr.indexOf("#r=") + 3)),
                                StandardCharsets.ISO_8859_1));
            }
            seen.add("checkpoint " + get(http, base, "/v1/checkpoint"));
            for (String text : seen) {
                for (String secret : secrets) {
                    assertThat(text).as("what an anonymous caller sees").doesNotContain(secret);
                }
            }
            // Two receipts of one worker: their entries differ only by the commitment and the anchoring time.
            for (String entry : leafEntries) {
                assertThat(JSON.readTree(entry).fieldNames())
                        .toIterable()
                        .containsExactlyInAnyOrder(
                                "anchoredAt", "commitment", "kind", "mspId", "schemaVersion", "status", "validUntil");
            }

            // The control: the pseudonym is real, and the roles allowed to read a dossier read both entries by it.
            try (Gateway gateway = node.gateway("Issuer")) {
                assertThat(LocalNode.dossier(gateway, keys).dossier(pseudonym))
                        .extracting(LedgerEntry::commitment)
                        .containsExactlyInAnyOrder(
                                anchored.get(0).commitment(), anchored.get(1).commitment());
            }
        }
    }

    private static TrainingRecord record(String id) {
        Map<String, String> fields = TestData.validRow();
        fields.put("record_id", id);
        ValidatedRow row = new RecordValidator().validate(new RawRow(1, fields, List.of()));
        assertThat(row.violations()).isEmpty();
        return row.record();
    }

    private static X509Certificate issuerCertificate(LocalNode node) throws Exception {
        Path signcerts = node.msp("Issuer").resolve("signcerts");
        try (Stream<Path> files = Files.list(signcerts)) {
            return Pem.readCertificate(files.findFirst().orElseThrow());
        }
    }

    private static String get(HttpClient http, URI base, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
