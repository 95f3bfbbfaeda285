package dev.dossier.chaincode.ccaas;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The chaincode package Maven builds ({@code notary-ccaas.tar.gz}), checked against what Fabric reads: the peer's
 * package parser ({@code core/chaincode/persistence/chaincode_package.go}) wants {@code metadata.json} and
 * {@code code.tar.gz} as regular files at the top level, and a label matching its pattern; the {@code ccaas} external
 * builder ({@code ccaas_builder/cmd/build}) wants type {@code ccaas} and a top-level {@code connection.json}.
 */
class CcaasPackageIT {
    /** Fabric's package label pattern (persistence.LabelRegexp). */
    private static final String LABEL_PATTERN = "^[a-zA-Z0-9]+([.+-_][a-zA-Z0-9]+)*$";

    private static final Path PACKAGE = Path.of(System.getProperty("dossier.ccaas.package", "missing"));

    @Test
    void package_holdsExactlyMetadataAndCode_asRegularFiles() throws IOException {
        Map<String, Entry> entries = untar(Files.readAllBytes(PACKAGE));

        assertThat(entries).containsOnlyKeys("metadata.json", "code.tar.gz");
        assertThat(entries.values()).allSatisfy(e -> assertThat(e.type()).isEqualTo('0'));
        String metadata = entries.get("metadata.json").text();
        String label = System.getProperty("dossier.ccaas.label");
        assertThat(metadata.strip()).isEqualTo("{\"type\":\"ccaas\",\"label\":\"" + label + "\"}");
        assertThat(label).matches(LABEL_PATTERN);
    }

    @Test
    void code_holdsConnectionJson_withTheConfiguredAddress() throws IOException {
        Map<String, Entry> code =
                untar(untar(Files.readAllBytes(PACKAGE)).get("code.tar.gz").content());

        assertThat(code).containsOnlyKeys("connection.json");
        assertThat(code.get("connection.json").type()).isEqualTo('0');
        String connection = code.get("connection.json").text().replaceAll("\\s", "");
        assertThat(connection)
                .isEqualTo("{\"address\":\""
                        + System.getProperty("dossier.ccaas.address").replaceAll("\\s", "")
                        + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
    }

    @Test
    void entries_haveFixedTimes_soTheBuildIsReproducible() throws IOException {
        Map<String, Entry> entries = untar(Files.readAllBytes(PACKAGE));
        Map<String, Entry> code = untar(entries.get("code.tar.gz").content());

        // 2026-01-01T00:00:00Z, the module's ccaas.outputTimestamp, rather than the build's clock
        assertThat(entries.values()).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(1767225600L));
        assertThat(code.values()).allSatisfy(e -> assertThat(e.mtime()).isEqualTo(1767225600L));
    }

    private record Entry(char type, long mtime, byte[] content) {
        String text() {
            return new String(content, UTF_8);
        }
    }

    /** A gzip-compressed ustar/GNU tar archive's entries, in order; enough for the small archives built here. */
    private static Map<String, Entry> untar(byte[] gzip) throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            tar = in.readAllBytes();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        int offset = 0;
        while (offset + 512 <= tar.length && tar[offset] != 0) {
            String name = field(tar, offset, 100);
            String prefix = field(tar, offset + 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(tar, offset + 124, 12).strip(), 8);
            long mtime = Long.parseLong(field(tar, offset + 136, 12).strip(), 8);
            char type = (char) tar[offset + 156];
            byte[] content = new byte[(int) size];
            System.arraycopy(tar, offset + 512, content, 0, (int) size);
            assertThat(entries.put(name, new Entry(type, mtime, content)))
                    .as("duplicate " + name)
                    .isNull();
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, US_ASCII);
    }
}
