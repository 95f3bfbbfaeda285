package dev.dossier.client.certificate;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.dossier.common.card.CardCodec;
import dev.dossier.common.card.WorkerCard;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes of verify URLs and cards (zxing), written and read. Error correction M (15% of the symbol may be damaged)
 * when the text fits, else L: a receipt with a long proof and several cosignatures needs the larger capacity. Public
 * for what prints a verify URL outside a certificate PDF (a card, a label, a test of the verify page) and what reads a
 * picture of one.
 */
public final class QrCode {
    /** Quiet zone, in modules, as ISO/IEC 18004 requires. */
    static final int QUIET_ZONE = 4;

    private QrCode() {}

    /**
     * @return the QR code's modules, quiet zone included, one bit per module
     * @throws IllegalArgumentException if the text does not fit in a QR code
     */
    static BitMatrix matrix(String text) {
        for (ErrorCorrectionLevel level : new ErrorCorrectionLevel[] {ErrorCorrectionLevel.M, ErrorCorrectionLevel.L}) {
            try {
                return new QRCodeWriter()
                        .encode(
                                text,
                                BarcodeFormat.QR_CODE,
                                0,
                                0,
                                Map.of(
                                        EncodeHintType.ERROR_CORRECTION, level,
                                        EncodeHintType.MARGIN, QUIET_ZONE,
                                        EncodeHintType.CHARACTER_SET, "UTF-8"));
            } catch (WriterException e) {
                if (level == ErrorCorrectionLevel.L) {
                    throw new IllegalArgumentException(
                            "a QR code cannot hold " + text.length() + " characters: " + e.getMessage(), e);
                }
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * @return the QR code of an inspector's card: error correction Q (25% of the symbol may be damaged), alphanumeric
     *     mode (the card's text is all in its set: no character set is named, so no byte mode is forced)
     * @throws IllegalArgumentException if the text does not fit
     */
    static BitMatrix cardMatrix(String card) {
        try {
            return new QRCodeWriter()
                    .encode(
                            card,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.Q,
                                    EncodeHintType.MARGIN,
                                    QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException(
                    "a QR code at error correction Q cannot hold " + card.length() + " characters", e);
        }
    }

    /**
     * Writes the QR code of {@code text} as a PNG image, {@code pixelsPerModule} pixels a module, black on white: a
     * card's text ({@code DC1:...}, {@code DW1:...}) as {@link #cardMatrix}, any other text's as {@link #matrix}.
     *
     * @throws IOException if the file cannot be written
     */
    public static void writePng(String text, int pixelsPerModule, Path file) throws IOException {
        write(image(symbol(text), pixelsPerModule), file);
    }

    /**
     * Writes the QR code of a card's text (alphanumeric, error correction Q, as on the certificate PDF) as a PNG
     * image, {@code pixelsPerModule} pixels a module.
     *
     * @return the QR code's version (1 to 40)
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the text does not fit a QR code at error correction Q
     */
    public static int writeCardPng(String card, int pixelsPerModule, Path file) throws IOException {
        BitMatrix matrix = cardMatrix(card);
        write(image(matrix, pixelsPerModule), file);
        return (matrix.getWidth() - 2 * QUIET_ZONE - 17) / 4;
    }

    /**
     * @return the QR code of {@code text}, {@code pixelsPerModule} pixels a module, black on white, quiet zone
     *     included: a card's text as {@link #cardMatrix}, any other text's as {@link #matrix}
     */
    public static BufferedImage image(String text, int pixelsPerModule) {
        return image(symbol(text), pixelsPerModule);
    }

    private static BitMatrix symbol(String text) {
        return text.startsWith(CardCodec.PREFIX) || text.startsWith(WorkerCard.PREFIX)
                ? cardMatrix(text)
                : matrix(text);
    }

    /**
     * Reads every QR code in a picture (a photo, a scan, a rendered page), trying harder, in any rotation. ZXing's
     * multi-code detector, not its single-code one: that one keeps the three most finder-like patterns it sees, and in
     * about 2 of 100 cards (version 15) the data modules hold a lookalike that it takes for a corner, so a perfect
     * image of the card failed to decode; the multi-code detector tries the combinations and read every one of them.
     *
     * @return the QR codes read, each with its text and its finder patterns' centres; empty if there is none
     */
    public static List<Result> read(BufferedImage picture) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        int[] pixels = picture.getRGB(0, 0, width, height, null, 0, width);
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
        try {
            return List.of(new QRCodeMultiReader().decodeMultiple(bitmap, Map.of(DecodeHintType.TRY_HARDER, true)));
        } catch (NotFoundException e) {
            return List.of();
        }
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static BufferedImage image(BitMatrix matrix, int pixelsPerModule) {
        int size = matrix.getWidth() * pixelsPerModule;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, matrix.get(x / pixelsPerModule, y / pixelsPerModule) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return image;
    }
}
