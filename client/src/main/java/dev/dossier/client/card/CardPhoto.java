package dev.dossier.client.card;

import com.google.zxing.Result;
import dev.dossier.client.certificate.QrCode;
import dev.dossier.common.card.CardCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an inspector's card from a photograph or scan of its QR code (PNG or JPEG): the JDK's image readers and
 * {@link QrCode#read}; of several QR codes in the picture, the first that holds a card. Bounded:
 * a picture of more than {@value #MAX_PIXELS} pixels is refused before it is decoded.
 */
public final class CardPhoto {
    /** The most pixels decoded: 40 megapixels, more than a phone's photo, about 160 MB of pixels at most. */
    public static final long MAX_PIXELS = 40_000_000L;

    private CardPhoto() {}

    /** @return true if {@code content} starts as a PNG or a JPEG file does */
    public static boolean isPicture(byte[] content) {
        return startsWith(content, 0x89, 'P', 'N', 'G') || startsWith(content, 0xFF, 0xD8, 0xFF);
    }

    /**
     * @param picture a PNG or JPEG file's bytes
     * @param name the picture's name, for error messages
     * @return the card's text ({@code DC1:...}) its QR code holds
     * @throws IOException if it is no readable picture, too large, shows no readable QR code, or a QR code that holds
     *     no card; each with what to do
     */
    public static String text(byte[] picture, String name) throws IOException {
        BufferedImage image = read(picture, name);
        List<Result> codes = QrCode.read(image);
        if (codes.isEmpty()) {
            throw new IOException("no readable QR code in " + name + " (" + image.getWidth() + "x" + image.getHeight()
                    + " pixels): take the picture again with the whole QR code in it, flat, in focus and at least a"
                    + " third of the picture wide, or type the card's text (" + CardCodec.PREFIX + "...)");
        }
        Optional<String> card = codes.stream()
                .map(Result::getText)
                .filter(text -> text.startsWith(CardCodec.PREFIX))
                .findFirst();
        if (card.isEmpty()) {
            String text = codes.get(0).getText();
            String start = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw new IOException("the QR code in " + name + " holds no inspector's card: it starts with \""
                    + start.replaceAll("\\p{Cntrl}", "?") + "\", not " + CardCodec.PREFIX
                    + (text.startsWith("http")
                            ? " (a verify link: open it, or verify the certificate with --receipt)"
                            : ""));
        }
        return card.get();
    }

    private static BufferedImage read(byte[] picture, String name) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(picture))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(name + " is not a picture this tool reads (PNG or JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IOException(name + " has " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than the " + MAX_PIXELS / 1_000_000 + " million read: crop it to the"
                            + " QR code or scale it down");
                }
                return reader.read(0);
            } catch (IOException | RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name)) {
                    throw e;
                }
                throw new IOException(
                        name + " cannot be read as a " + reader.getFormatName() + " picture: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean startsWith(byte[] content, int... magic) {
        if (content.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((content[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
