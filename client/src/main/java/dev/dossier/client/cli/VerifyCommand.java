package dev.dossier.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.client.AnchorReceipt;
import dev.dossier.client.Dossier;
import dev.dossier.client.LedgerEntry;
import dev.dossier.client.Verification;
import dev.dossier.client.certificate.Certificate;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.CheckpointMemory;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.note.NoteException;
import dev.dossier.common.note.SignedNote;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.receipt.Receipt;
import dev.dossier.common.receipt.ReceiptException;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.common.witness.SplitViewException;
import dev.dossier.common.witness.Witness;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dossier verify FILE | --hash H | --receipt R}: prints the verdict and the facts. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a record or document against the ledger and print VALID, EXPIRED, REVOKED, SUPERSEDED, NOT_FOUND",
            "or TAMPERED with the facts (issuer, dates). FILE is a record's JSON (its salt from --salt, its receipt,"
                    + " or",
            "derived with your salt key if you issued it) or a document (PDF, media, or a credential's JSON with",
            "--document) with its --salt. --receipt takes a certificate (PDF or JSON), a receipt (JSON, compact text",
            "or verify URL), verified offline against the pinned keys (--trust, or trust.txt in --network), then",
            "checked against the ledger for revocation unless --offline; or an anchoring receipts file (JSON Lines).",
            "A receipt's checkpoint must be consistent with the latest one accepted before (kept in the config",
            "directory; the node proves it): else SPLIT_VIEW. --card takes an inspector's card (its text DC1:..., a",
            "file holding it, a certificate PDF carrying one, or a photo of its QR code, PNG or JPEG): its facts,",
            "checked offline against the trust file's card keys, then against the ledger unless --offline (VALID, EXPIRED, TAMPERED, UNKNOWN_SIGNER, REVOKED,",
            "SUPERSEDED, NOT_FOUND); online it also keeps the node's signed revocation list in the config directory,",
            "which --offline then uses (REVOKED for a card revoked before the last online check). It takes a worker's",
            "safety card (DW1:...) too: the worker, then each module as valid, expiring (within 60 days), expired,",
            "revoked or superseded. FILE may be an Open Badges 3.0 credential (VC 2.0 JSON), ours or another issuer's:",
            "its proof and issuer key (did:key offline; did:web from --credential-keys or the node), then unless",
            "--offline its digest and record on the ledger and its bit in the node's signed status list: VALID,",
            "EXPIRED, REVOKED, SUPERSEDED, NOT_FOUND, TAMPERED or UNKNOWN_SIGNER. Exit code 0 for VALID, 4 otherwise."
        })
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Mixin
    ClientOptions client;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the record or document to verify")
    Path file;

    @Option(names = "--hash", paramLabel = "H", description = "a commitment, 64 hex digits")
    String hash;

    @Option(
            names = "--receipt",
            paramLabel = "R",
            description = "a receipt (JSON), or a receipts file with --record-id")
    Path receipt;

    @Option(
            names = "--card",
            paramLabel = "TEXT|FILE",
            description = "an inspector's card or a worker's safety card: its text, a file holding it, a certificate"
                    + " PDF carrying one, or a photo of its QR code (PNG or JPEG)")
    String card;

    @Option(names = "--record-id", description = "which receipt of a receipts file")
    String recordId;

    @Option(names = "--salt", paramLabel = "HEX", description = "the salt of FILE, 64 hex digits")
    String salt;

    @Option(names = "--document", description = "FILE is a document (PDF, media, JSON credential), not a record")
    boolean document;

    @Option(
            names = "--offline",
            description =
                    "with a certificate, receipt or card: do not ask the ledger (a card is then checked against the"
                            + " revocation list kept at the last online check; otherwise revocation is not checked)")
    boolean offline;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() throws Exception {
        if (card != null) {
            return CardVerify.run(client, card, offline);
        }
        if (file != null
                && !document
                && salt == null
                && receipt == null
                && CredentialVerify.looksLikeCredential(file)) {
            return CredentialVerify.run(client, credentials, file, offline);
        }
        if (file == null && hash == null && receipt == null) {
            throw new ParameterException(spec.commandLine(), "give a FILE, --hash, --receipt or --card");
        }
        if (receipt != null) {
            Proof proof = proof(Files.readAllBytes(receipt));
            if (proof != null) {
                Verification v = verifyProof(proof);
                return v.status() == Verdict.VALID ? 0 : Main.NOT_VALID;
            }
        } else if (offline) {
            throw new ParameterException(spec.commandLine(), "--offline needs a certificate or receipt (--receipt)");
        }
        try (ClientOptions.Session session = client.connect("inspector", false)) {
            Verification v = verify(session.dossier());
            print(v);
            return v.status() == Verdict.VALID ? 0 : Main.NOT_VALID;
        }
    }

    private Verification verify(Dossier dossier) throws Exception {
        Commitment claimed = hash == null ? null : Commitment.fromHex(hash);
        byte[] saltBytes = salt == null ? null : HexFormat.of().parseHex(salt);
        if (receipt != null) {
            AnchorReceipt r = readReceipt();
            if (file == null) {
                return dossier.verify(r, null);
            }
            claimed = Commitment.fromHex(r.commitment());
            saltBytes = HexFormat.of().parseHex(r.salt());
        }
        if (file == null) {
            return dossier.verify(claimed);
        }
        byte[] content = Files.readAllBytes(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json") || name.endsWith(".jsonld");
        if (!document && json && isRecord(content)) {
            return dossier.verifyRecord(new String(content, StandardCharsets.UTF_8), saltBytes, claimed);
        }
        if (saltBytes == null) {
            throw new IllegalArgumentException("a document is verified with its salt: give --salt or --receipt");
        }
        return dossier.verifyDocument(content, json, saltBytes, claimed);
    }

    /** A certificate, or a bare compact receipt (then {@code certificate} is null). */
    private record Proof(Certificate certificate, String receipt) {}

    /** @return the certificate or receipt in the file, or null for an anchoring receipts file */
    private static Proof proof(byte[] content) throws IOException {
        String text = new String(content, StandardCharsets.ISO_8859_1).strip();
        if (text.startsWith("%PDF") || text.startsWith("{\"format\":\"" + Certificate.FORMAT)) {
            return new Proof(Certificate.parse(content), null);
        }
        if (text.startsWith("{")) {
            JsonNode first = MAPPER.readTree(text.lines().findFirst().orElse(""));
            if (first != null && first.path("receipt").isTextual() && !first.has("tx_id")) {
                return new Proof(null, first.get("receipt").asText());
            }
            return null;
        }
        int fragment = text.indexOf("#r=");
        String compact = fragment >= 0 ? text.substring(fragment + 3) : text;
        if (compact.matches("[A-Za-z0-9_-]+")) {
            return new Proof(null, compact);
        }
        throw new IOException("not a certificate, a receipt or an anchoring receipts file");
    }

    private Verification verifyProof(Proof proof) throws IOException, InterruptedException {
        LocalDate today = LocalDate.now();
        TrustFile trust = client.trust();
        Verification v = proof.certificate() != null
                ? proof.certificate().verify(trust, today)
                : Certificate.verifyReceipt(proof.receipt(), null, trust, today);
        System.out.println("receipt (offline, pinned keys):");
        print(v);
        if (v.status() == Verdict.TAMPERED) {
            return v;
        }
        Verification witnessed = witness(
                proof.certificate() != null ? proof.certificate().receipt() : proof.receipt(),
                v,
                proof.certificate() != null ? proof.certificate().node() : null);
        if (witnessed.status() == Verdict.SPLIT_VIEW) {
            print(witnessed);
            return witnessed;
        }
        if (offline) {
            return v;
        }
        Verification now;
        try (ClientOptions.Session session = client.connect("inspector", false)) {
            now = session.dossier().verify(v.commitment());
        } catch (IOException | DossierException | RuntimeException e) {
            System.out.println("ledger not reached (" + e.getMessage() + "): the verdict above stands as of "
                    + v.asOf().orElseThrow());
            return v;
        }
        System.out.println("ledger now:");
        print(now);
        return now;
    }

    /**
     * Checks the checkpoint of a verified receipt against the latest checkpoint of its log accepted before ({@link
     * CheckpointMemory}, in the config directory), asking a node for the consistency proof unless {@code --offline}:
     * the node of {@code --network}/{@code --endpoint}/{@code --node-url}, else the certificate's.
     *
     * @return {@code verified}, or a {@link Verdict#SPLIT_VIEW} verdict
     */
    private Verification witness(String compact, Verification verified, URI certificateNode)
            throws IOException, InterruptedException {
        Receipt receipt;
        SignedNote note;
        try {
            receipt = Receipt.decode(compact);
            note = SignedNote.parse(receipt.checkpoint());
        } catch (ReceiptException | NoteException e) {
            throw new AssertionError("the receipt was verified", e);
        }
        if (receipt.leafFormat() != Receipt.CURRENT_VERSION) {
            System.out.println("checkpoint: a receipt of leaf format " + receipt.leafFormat() + " (from before the"
                    + " public entry), not compared with the checkpoints accepted before; ask for a new receipt");
            return verified;
        }
        CheckpointMemory memory = CheckpointMemory.at(client.checkpointDirectory());
        Witness.ProofSource proofs = proofSource(certificateNode);
        try {
            CheckpointMemory.Outcome outcome = memory.accept(note, proofs);
            System.out.println("checkpoint: " + outcome.detail());
            return verified;
        } catch (SplitViewException e) {
            return new Verification(
                    Verdict.SPLIT_VIEW,
                    "the consortium's log presented a split view: do not rely on this receipt. " + e.getMessage()
                            + ". The checkpoint accepted before stays in "
                            + memory.file(e.presented().origin()) + " as evidence",
                    verified.commitment(),
                    null,
                    verified.asOf().orElse(null));
        }
    }

    private Witness.ProofSource proofSource(URI certificateNode) {
        if (offline) {
            return (from, to) -> {
                throw new IOException("offline");
            };
        }
        URI node;
        try {
            node = client.nodeUrl();
        } catch (IOException e) {
            node = certificateNode;
        }
        if (node == null) {
            return (from, to) -> {
                throw new IOException("no node to ask: give --node-url, --network or --endpoint");
            };
        }
        return new NodeApi(node)::consistencyProof;
    }

    private static boolean isRecord(byte[] content) {
        try {
            JsonNode node = MAPPER.readTree(content);
            return node != null && node.has("record_id");
        } catch (IOException e) {
            return false;
        }
    }

    private AnchorReceipt readReceipt() throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(receipt, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                AnchorReceipt r = MAPPER.readValue(line, AnchorReceipt.class);
                if (recordId == null || recordId.equals(r.recordId())) {
                    return r;
                }
            }
        }
        throw new IOException("no receipt" + (recordId == null ? "" : " for record " + recordId) + " in " + receipt);
    }

    private static void print(Verification v) {
        System.out.println(v.status());
        System.out.println("  " + v.reason());
        System.out.println("  commitment    " + v.commitment());
        v.asOf().ifPresent(t -> System.out.println("  as of         " + t + " (cosigned checkpoint)"));
        v.ledgerEntry().ifPresent(VerifyCommand::printEntry);
    }

    private static void printEntry(LedgerEntry e) {
        System.out.println("  issuer        " + e.mspId() + (e.issuer() == null ? "" : " " + e.issuer()));
        System.out.println("  anchored at   " + e.anchoredAt());
        System.out.println("  valid until   " + (e.validUntil() == null ? "no expiry" : e.validUntil()));
        System.out.println("  status        " + e.status());
        if (e.reason() != null) {
            System.out.println("  reason        " + e.reason());
        }
        if (e.supersededBy() != null) {
            System.out.println("  superseded by " + e.supersededBy());
        }
    }
}
