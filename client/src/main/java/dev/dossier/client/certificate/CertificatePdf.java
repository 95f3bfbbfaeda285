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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pdfbox.Loader;
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

    /** Name of the embedded card file, when the certificate carries an inspector's card. */
    public static final String CARD_ATTACHMENT = "dossier-card.txt";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final float MARGIN = 50;
    private static final float QR_SIZE = 220;

    /** The card's QR code: 56 mm, above the 35 mm a phone reads a version-19 code from at arm's length. */
    private static final int CARD_QR_MM = 56;

    private static final float CARD_QR_SIZE = CARD_QR_MM / 25.4f * 72;
    private static final int WRAP = 62;

    private CertificatePdf() {}

    /**
     * Writes the certificate's PDF to {@code file} (atomically: a partial file is never left under that name).
     *
     * @throws IOException if the file cannot be written, or the certificate's record or receipt is malformed
     */
    public static void write(Certificate certificate, Path file) throws IOException {
        write(certificate, null, file);
    }

    /**
     * Writes the certificate's PDF with the record's inspector's card: the card's QR code (alphanumeric, error
     * correction Q, {@value #CARD_QR_MM} mm wide) in place of the verify URL's, and the card's text embedded as
     * {@value #CARD_ATTACHMENT}.
     *
     * @param card the card's text ({@code DC1:...}), or null for a certificate without a card
     * @throws IOException if the file cannot be written, or the certificate's record or receipt is malformed
     */
    public static void write(Certificate certificate, String card, Path file) throws IOException {
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
                if (card == null) {
                    writer.line(
                            regular,
                            9,
                            "Verify: scan the QR code, or drop this PDF on " + certificate.node() + "/verify");
                    writer.line(
                            regular, 9, "Revocation is checked online; offline the receipt proves the entry as of the");
                    writer.line(regular, 9, "checkpoint time above.");
                    drawQr(content, QrCode.matrix(certificate.verifyUrl()), MARGIN, MARGIN, QR_SIZE);
                } else {
                    writer.fact(bold, regular, "Birth date", text(record, "subject", "birth_date"));
                    writer.gap(6);
                    writer.line(bold, 11, "Inspector: scan the card's QR code on " + certificate.node() + "/verify");
                    writer.line(
                            regular, 9, "It shows the worker's name, birth date, course, module and validity as the");
                    writer.line(
                            regular,
                            9,
                            "issuer signed them: compare them with the worker's identity document, not with");
                    writer.line(regular, 9, "this page. Auditors: drop this PDF on the page for the full receipt.");
                    drawQr(content, QrCode.cardMatrix(card), MARGIN, MARGIN, CARD_QR_SIZE);
                }
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(ATTACHMENT, certificate.toJson().getBytes(StandardCharsets.US_ASCII));
            if (card != null) {
                files.put(CARD_ATTACHMENT, (card + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            embed(document, files);
            document.getDocumentInformation().setTitle("Training certificate " + certificate.commitment());
            document.getDocumentInformation().setCreator("Dossier");
            document.save(temporary.toFile(), CompressParameters.NO_COMPRESSION);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void embed(PDDocument document, Map<String, byte[]> files) throws IOException {
        Map<String, PDComplexFileSpecification> specs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            byte[] bytes = file.getValue();
            PDEmbeddedFile embedded = new PDEmbeddedFile(document, new ByteArrayInputStream(bytes));
            embedded.setSubtype(file.getKey().endsWith(".json") ? "application/json" : "text/plain");
            embedded.setSize(bytes.length);
            embedded.setCreationDate(new GregorianCalendar());
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile(file.getKey());
            spec.setFileUnicode(file.getKey());
            spec.setEmbeddedFile(embedded);
            spec.setFileDescription(
                    file.getKey().equals(ATTACHMENT)
                            ? "Dossier certificate: the record, its salt and its receipt"
                            : "Dossier inspector's card: the text of the QR code");
            specs.put(file.getKey(), spec);
        }
        PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
        tree.setNames(specs);
        PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
        names.setEmbeddedFiles(tree);
        document.getDocumentCatalog().setNames(names);
    }

    /**
     * Reads the inspector's card a certificate PDF carries.
     *
     * @return the card's text, or empty if the PDF carries none
     * @throws IOException if the content is not a PDF
     */
    public static Optional<String> card(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDDocumentNameDictionary names = document.getDocumentCatalog().getNames();
            PDEmbeddedFilesNameTreeNode tree = names == null ? null : names.getEmbeddedFiles();
            Map<String, PDComplexFileSpecification> files = tree == null ? null : tree.getNames();
            PDComplexFileSpecification spec = files == null ? null : files.get(CARD_ATTACHMENT);
            PDEmbeddedFile embedded = spec == null ? null : spec.getEmbeddedFile();
            if (embedded == null || embedded.getLength() > CARD_LIMIT) {
                return Optional.empty();
            }
            return Optional.of(new String(embedded.toByteArray(), StandardCharsets.US_ASCII).strip());
        }
    }

    /** Most bytes read as a card: far above a card's size (at most the 4,296 characters of a QR code). */
    private static final int CARD_LIMIT = 8 << 10;

    /** Draws the QR code's dark modules as filled squares (vector, sharp at any print size). */
    private static void drawQr(PDPageContentStream content, BitMatrix matrix, float x, float y, float size)
            throws IOException {
        float module = size / matrix.getWidth();
        content.setNonStrokingColor(0f, 0f, 0f);
        for (int row = 0; row < matrix.getHeight(); row++) {
            for (int column = 0; column < matrix.getWidth(); column++) {
                if (matrix.get(column, row)) {
                    content.addRect(x + column * module, y + size - (row + 1) * module, module, module);
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
