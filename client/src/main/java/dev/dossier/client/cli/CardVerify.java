package dev.dossier.client.cli;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.card.CardPhoto;
import dev.dossier.client.certificate.CertificatePdf;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.client.transport.RevocationMemory;
import dev.dossier.common.card.Card;
import dev.dossier.common.card.CardCheck;
import dev.dossier.common.card.CardCodec;
import dev.dossier.common.card.CardRevocations;
import dev.dossier.common.card.CardVerifier;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.revocation.RevocationList;
import dev.dossier.common.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * {@code dossier verify --card TEXT|FILE}: an inspector's card checked offline against the card keys of the pinned
 * trust file, then, unless offline, against the ledger's entries of the card and of its record ({@code GET
 * /v1/status} of the node), keeping the node's signed revocation list up to date in the config directory; with
 * {@code --offline}, against that kept list (REVOKED or SUPERSEDED for a card revoked before the last sync). Prints the card's facts first, for the inspector to compare with the worker's identity
 * document, then the verdict and its reason.
 */
final class CardVerify {
    /** The most bytes read from a card file that is not a PDF: a QR code holds at most 4,296 characters. */
    private static final long MAX_TEXT_FILE = 8 << 10;

    /** The most bytes read from a certificate PDF or a photograph. */
    private static final long MAX_PDF = 16 << 20;

    private CardVerify() {}

    /**
     * @param source the card's text ({@code DC1:...}), or a file holding it, or a certificate PDF carrying one
     * @return the exit code: 0 for VALID, {@link Main#NOT_VALID} otherwise
     */
    static int run(ClientOptions client, String source, boolean offline) throws IOException, InterruptedException {
        String text = text(source);
        if (text.startsWith(WorkerCard.PREFIX)) {
            return WorkerCardVerify.run(client, text, offline);
        }
        TrustFile trust = client.trust();
        CardCheck check = new CardVerifier(trust.cardKeys()).verify(text, LocalDate.now(ZoneOffset.UTC));
        String trusted = trustedKeys(client);
        RevocationMemory revocations = RevocationMemory.at(client.revocationDirectory());
        if (check.genuine() && !offline) {
            try {
                NodeApi node = new NodeApi(client.nodeUrl());
                check = CardVerifier.withLedger(
                        check,
                        entry(node, Commitment.of(check.digest())),
                        entry(node, Commitment.of(check.card().commitment())));
                trusted += "; ledger at " + node.base() + "; " + sync(revocations, node, trust);
            } catch (IOException e) {
                trusted += "; ledger not reached (" + e.getMessage() + "): revocation not checked";
            }
        } else if (check.genuine()) {
            Optional<RevocationList> list = revocations.load(trust.origin());
            if (list.isPresent()) {
                check = CardRevocations.apply(check, list.get());
            }
            trusted += offlineNote(revocations, trust, list);
        }
        print(check, trusted);
        return check.verdict() == Verdict.VALID ? 0 : Main.NOT_VALID;
    }

    /** @return what an offline check used: the kept revocation list, or that there is none */
    static String offlineNote(RevocationMemory revocations, TrustFile trust, Optional<RevocationList> list) {
        return list.isPresent()
                ? "; offline: revocation list kept in " + revocations.file(trust.origin())
                : "; offline, and no revocation list is kept here (verify once online to keep one): revocation not"
                        + " checked";
    }

    /** Keeps the node's revocation list for offline checks; says what was kept, or why not. */
    static String sync(RevocationMemory revocations, NodeApi node, TrustFile trust) throws InterruptedException {
        try {
            RevocationList list = revocations.sync(node, trust);
            return "revocation list kept for offline use: version " + list.version() + ", ledger height "
                    + list.height() + " (" + list.time() + ")";
        } catch (IOException e) {
            return "revocation list not updated: " + e.getMessage();
        }
    }

    private static dev.dossier.common.entry.LedgerEntry entry(NodeApi node, Commitment commitment)
            throws IOException, InterruptedException {
        return node.status(commitment).map(LedgerEntry::shared).orElse(null);
    }

    /**
     * @return the card's text in {@code source}: the text itself, a text file, a certificate PDF's card, or the QR code
     *     in a photograph (PNG or JPEG)
     */
    static String text(String source) throws IOException {
        if (source.strip().startsWith(CardCodec.PREFIX) || source.strip().startsWith(WorkerCard.PREFIX)) {
            return source.strip();
        }
        Path file = Path.of(source);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "--card takes a card's text (" + CardCodec.PREFIX + "...) or a file holding one: no file " + file);
        }
        if (Files.size(file) > MAX_PDF) {
            throw new IOException(file + " is larger than a certificate PDF, a photograph or a card can be");
        }
        byte[] content = Files.readAllBytes(file);
        if (new String(content, 0, Math.min(content.length, 5), StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            return CertificatePdf.card(content)
                    .orElseThrow(() -> new IOException(file + " carries no inspector's card (a certificate made"
                            + " without --card-key): verify it with --receipt"));
        }
        if (CardPhoto.isPicture(content)) {
            return CardPhoto.text(content, file.toString());
        }
        if (content.length > MAX_TEXT_FILE) {
            throw new IOException(file + " is larger than a card can be");
        }
        return new String(content, StandardCharsets.ISO_8859_1).strip();
    }

    /** @return what the offline check trusted: the trust file's card keys and when the file last changed */
    static String trustedKeys(ClientOptions client) throws IOException {
        return "card keys of " + client.trustFile() + " (changed "
                + Files.getLastModifiedTime(client.trustFile())
                        .toInstant()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + ")";
    }

    private static void print(CardCheck check, String trusted) {
        Card card = check.card();
        if (card != null) {
            System.out.println("  worker        " + card.givenName() + " " + card.familyName());
            System.out.println("  birth date    " + or(card.birthDate()));
            System.out.println("  course        " + (card.courseCode() == null ? "" : card.courseCode() + " ")
                    + card.courseTitle());
            System.out.println("  module        " + or(card.safetyModule())
                    + (card.hours() == null ? "" : ", " + card.hours() + " hours"));
            System.out.println("  valid until   " + (card.validUntil() == null ? "no expiry" : card.validUntil()));
            System.out.println("  provider      " + card.provider());
            System.out.println("  issued        " + card.issueDate() + " by " + card.issuer());
        }
        printVerdict(check.verdict(), check.reason(), card != null, trusted);
    }

    /** Prints the verdict under a card's facts (a record's card or a worker's): its reason and what was trusted. */
    static void printVerdict(Verdict verdict, String reason, boolean genuine, String trusted) {
        System.out.println(verdict);
        System.out.println("  " + reason);
        if (genuine) {
            System.out.println("  compare the name and birth date with the worker's identity document");
        }
        System.out.println("  checked with  " + trusted);
    }

    static String or(Object value) {
        return value == null ? "-" : value.toString();
    }
}
