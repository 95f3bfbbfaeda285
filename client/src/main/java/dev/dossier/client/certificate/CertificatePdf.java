package dev.dossier.client.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.common.BitMatrix;
import dev.dossier.client.LedgerEntry;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.ReceiptException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Renders a {@link Certificate} as a one-page A4 PDF (PDFBox): the training's facts for a person, the ledger facts
 * (issuer, anchoring time, checkpoint), a QR code of the verify URL and, embedded uncompressed as {@value #ATTACHMENT},
 * the certificate's JSON, from which {@link Certificate#parse} and the verify page check the record offline.
 */
public final class CertificatePdf {
    /** Name of the embedded certificate file. */
    public static final String ATTACHMENT = "dossier-certificate.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final float MARGIN = 50;
    private static final float QR_SIZE = 220;
    private static final int WRAP = 62;

    private CertificatePdf() {}

    /**
     * Writes the certificate's PDF to {@code file} (atomically: a partial file is never left under that name).
     *
     * @throws IOException if the file cannot be written, or the certificate's record or receipt is malformed
     */
    public static void write(Certificate certificate, Path file) throws IOException {
        JsonNode record = MAPPER.readTree(certificate.record());
        Receipt receipt;
        Checkpoint checkpoint;
        try {
            receipt = Receipt.decode(certificate.receipt());
            checkpoint = Checkpoint.parse(SignedNote.parse(receipt.checkpoint()).text());
        } catch (ReceiptException | NoteException e) {
            throw new IOException("the certificate's receipt is malformed: " + e.getMessage(), e);
        }
        LedgerEntry entry = LedgerEntry.parse(new String(receipt.entry(), StandardCharsets.UTF_8));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDFont mono = new PDType1Font(Standard14Fonts.FontName.COURIER);
            float top = page.getMediaBox().getHeight() - MARGIN;
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                Writer writer = new Writer(content, MARGIN, top);
                writer.line(bold, 20, "Training certificate");
                writer.line(regular, 10, "Attestato di formazione - notarised on the Dossier ledger");
                writer.gap(14);
                String worker = text(record, "subject", "given_name") + " " + text(record, "subject", "family_name");
                writer.fact(bold, regular, "Worker", worker.strip());
                writer.fact(bold, regular, "Fiscal code", text(record, "subject", "fiscal_code"));
                writer.fact(bold, regular, "Course", text(record, "course", "title"));
                writer.fact(bold, regular, "Course code", text(record, "course", "code"));
                writer.fact(bold, regular, "Safety module", text(record, "safety_module"));
                writer.fact(bold, regular, "Hours", text(record, "course", "workload_hours"));
                writer.fact(bold, regular, "Provider", text(record, "provider", "name"));
                writer.fact(bold, regular, "Employer", text(record, "employer", "name"));
                writer.fact(
                        bold,
                        regular,
                        "Dates",
                        text(record, "start_date") + " to " + text(record, "end_date") + ", issued "
                                + text(record, "issue_date"));
                writer.fact(
                        bold,
                        regular,
                        "Valid until",
                        entry.validUntil() == null
                                ? "no expiry"
                                : entry.validUntil().toString());
                writer.gap(10);
                writer.line(bold, 12, "On the ledger");
                writer.fact(
                        bold, regular, "Issuer", entry.mspId() + (entry.issuer() == null ? "" : " " + entry.issuer()));
                writer.fact(bold, regular, "Anchored at", entry.anchoredAt());
                writer.fact(
                        bold,
                        regular,
                        "Checkpoint",
                        "leaf " + receipt.leafIndex() + " of " + checkpoint.size() + ", " + checkpoint.instant());
                writer.fact(bold, mono, "Commitment", certificate.commitment());
                writer.gap(10);
                writer.line(
                        regular, 9, "Verify: scan the QR code, or drop this PDF on " + certificate.node() + "/verify");
                writer.line(regular, 9, "Revocation is checked online; offline the receipt proves the entry as of the");
                writer.line(regular, 9, "checkpoint time above.");
                drawQr(content, QrCode.matrix(certificate.verifyUrl()), MARGIN, MARGIN);
            }
            embed(document, certificate.toJson().getBytes(StandardCharsets.US_ASCII));
            document.getDocumentInformation().setTitle("Training certificate " + certificate.commitment());
            document.getDocumentInformation().setCreator("Dossier");
            document.save(temporary.toFile(), CompressParameters.NO_COMPRESSION);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void embed(PDDocument document, byte[] json) throws IOException {
        PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(json));
        embedded.setSubtype("application/json");
        embedded.setSize(json.length);
        embedded.setCreationDate(new GregorianCalendar());
        PDComplexFileSpecification spec = new PDComplexFileSpecification();
        spec.setFile(ATTACHMENT);
        spec.setFileUnicode(ATTACHMENT);
        spec.setEmbeddedFile(embedded);
        spec.setFileDescription("Dossier certificate: the record, its salt and its receipt");
        PDEmbeddedFilesNameTreeNode files = new PDEmbeddedFilesNameTreeNode();
        files.setNames(Map.of(ATTACHMENT, spec));
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
        names.setEmbeddedFiles(files);
        document.getDocumentCatalog().setNames(names);
    }

    /** Draws the QR code's dark modules as filled squares (vector, sharp at any print size). */
    private static void drawQr(PDPageContentStream content, BitMatrix matrix, float x, float y) throws IOException {
        float module = QR_SIZE / matrix.getWidth();
        content.setNonStrokingColor(0f, 0f, 0f);
        for (int row = 0; row < matrix.getHeight(); row++) {
            for (int column = 0; column < matrix.getWidth(); column++) {
                if (matrix.get(column, row)) {
                    content.addRect(x + column * module, y + QR_SIZE - (row + 1) * module, module, module);
                }
            }
        }
        content.fill();
    }

    private static String text(JsonNode node, String... path) {
        JsonNode value = node;
        for (String name : path) {
            value = value.path(name);
        }
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    /** Lines of text from the top of the page down. */
    private static final class Writer {
        private final PDPageContentStream content;
        private final float x;
        private float y;

        Writer(PDPageContentStream content, float x, float top) {
            this.content = content;
            this.x = x;
            this.y = top;
        }

        void gap(float points) {
            y -= points;
        }

        void line(PDFont font, float size, String text) throws IOException {
            y -= size * 1.4f;
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, y);
            content.showText(encodable(font, text));
            content.endText();
        }

        void fact(PDFont labelFont, PDFont valueFont, String label, String value) throws IOException {
            List<String> lines = wrap(value == null || value.isBlank() ? "-" : value);
            for (int i = 0; i < lines.size(); i++) {
                y -= 14;
                content.beginText();
                if (i == 0) {
                    content.setFont(labelFont, 10);
                    content.newLineAtOffset(x, y);
                    content.showText(label);
                    content.newLineAtOffset(100, 0);
                } else {
                    content.newLineAtOffset(x + 100, y);
                }
                content.setFont(valueFont, 10);
                content.showText(encodable(valueFont, lines.get(i)));
                content.endText();
            }
        }

        private static List<String> wrap(String text) {
            List<String> lines = new ArrayList<>();
            String rest = text;
            while (rest.length() > WRAP) {
                int cut = rest.lastIndexOf(' ', WRAP);
                cut = cut <= 0 ? WRAP : cut;
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut).strip();
            }
            lines.add(rest);
            return lines;
        }

        /** The standard fonts encode WinAnsi only: other characters become '?'. */
        private static String encodable(PDFont font, String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(c -> {
                String s = new String(Character.toChars(c));
                try {
                    font.encode(s);
                    out.append(s);
                } catch (IOException | IllegalArgumentException e) {
                    out.append('?');
                }
            });
            return out.toString();
        }
    }
}
