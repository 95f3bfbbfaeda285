package dev.dossier.common.card;

import dev.dossier.common.entry.LedgerEntry;
import dev.dossier.common.hash.Sha256;
import dev.dossier.common.verdict.Verdict;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks cards against the card keys of a trust file, offline ({@link #verify}), then against what the ledger holds
 * ({@link #withLedger}). Never throws on a bad card: every input gets a {@link CardCheck} with its reason.
 *
 * <pre>{@code
 * CardVerifier verifier = new CardVerifier(trustFile.cardKeys());
 * CardCheck check = verifier.verify(scannedText, LocalDate.now());
 * check = CardVerifier.withLedger(check, node.status(check.digestHex()), node.status(check.card().commitmentHex()));
 * }</pre>
 *
 * <p>Offline, in this order: the text decodes (else {@code TAMPERED}); its key id is listed (else
 * {@code UNKNOWN_SIGNER}); the ES256 signature verifies with low S (else {@code TAMPERED}); the payload is a card
 * (else {@code TAMPERED}); the card's issuer is the key's organisation and it was signed within the key's validity
 * (else {@code UNKNOWN_SIGNER}); the valid-until date is not past (else {@code EXPIRED}).
 */
public final class CardVerifier {
    private final Map<String, CardKey> keys = new HashMap<>();

    /**
     * @param keys the trusted card keys
     * @throws IllegalArgumentException if two keys share a key id
     */
    public CardVerifier(List<CardKey> keys) {
        for (CardKey key : keys) {
            if (this.keys.put(key.keyIdHex(), key) != null) {
                throw new IllegalArgumentException("two card keys have the key id " + key.keyIdHex());
            }
        }
    }

    /** @return the SHA-256 of a card's COSE bytes, or null if the text does not decode */
    public static byte[] digest(String text) {
        try {
            return Sha256.of(CardCodec.decode(text).bytes());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Checks a card offline: signature, trust file, validity.
     *
     * @param text the card's text as scanned ({@code DC1:...}); surrounding white space is ignored
     * @param today the inspector's date, for {@code EXPIRED}
     * @return the verdict, with the facts only if the signature verified
     */
    public CardCheck verify(String text, LocalDate today) {
        Objects.requireNonNull(today, "today");
        Opened opened = open(text, CardCodec.PREFIX);
        if (opened.failure() != null) {
            return new CardCheck(opened.failure(), opened.reason(), null, opened.key(), opened.digest(), false);
        }
        CardKey key = opened.key();
        byte[] digest = opened.digest();
        Card card;
        try {
            card = Card.fromClaims(Cbor.decode(opened.payload()));
        } catch (Cbor.CborException | IllegalArgumentException e) {
            return new CardCheck(
                    Verdict.TAMPERED, "signed, but not a card: " + e.getMessage(), null, key, digest, false);
        }
        String signer = signerProblem(key, card.issuer(), card.issuedAt());
        if (signer != null) {
            return new CardCheck(Verdict.UNKNOWN_SIGNER, signer, null, key, digest, false);
        }
        LocalDate signedOn = LocalDate.ofInstant(card.issuedAt(), ZoneOffset.UTC);
        if (card.validUntil() != null && today.isAfter(card.validUntil())) {
            return new CardCheck(
                    Verdict.EXPIRED,
                    "genuine, signed by " + key.organisation() + ", but valid only until " + card.validUntil()
                            + ": the training must be refreshed",
                    card,
                    key,
                    digest,
                    false);
        }
        return new CardCheck(
                Verdict.VALID,
                "genuine, signed by " + key.organisation() + " on " + signedOn
                        + (card.validUntil() == null ? ", no expiry" : ", valid until " + card.validUntil()),
                card,
                key,
                digest,
                false);
    }

    /**
     * What checking a signed text's COSE layer found: a failure ({@code TAMPERED} or {@code UNKNOWN_SIGNER}, with its
     * reason), or the listed key whose signature verified and the signed payload, not yet read.
     *
     * @param failure the verdict when the text is not genuine, else null
     * @param reason why, when it failed
     * @param key the listed key named by the key id, or null
     * @param digest SHA-256 of the COSE bytes, or null if the text did not decode
     * @param payload the signed payload (CWT claims), when the signature verified
     */
    record Opened(Verdict failure, String reason, CardKey key, byte[] digest, byte[] payload) {}

    /**
     * Decodes a signed text of the given prefix and checks its signature against the listed keys, in the order of
     * {@link #verify}: decodes (else {@code TAMPERED}), key listed (else {@code UNKNOWN_SIGNER}), signature valid and
     * low-S (else {@code TAMPERED}). Shared by the record's card and the worker's card.
     */
    Opened open(String text, String prefix) {
        CardCodec.Cose cose;
        try {
            cose = CardCodec.decode(Objects.requireNonNull(text, "text").strip(), prefix);
        } catch (IllegalArgumentException e) {
            return new Opened(Verdict.TAMPERED, "not a card: " + e.getMessage(), null, null, null);
        }
        byte[] digest = Sha256.of(cose.bytes());
        String keyId = HexFormat.of().formatHex(cose.keyId());
        CardKey key = keys.get(keyId);
        if (key == null) {
            return new Opened(
                    Verdict.UNKNOWN_SIGNER,
                    "signed with key " + keyId + ", which the trust file does not list",
                    null,
                    digest,
                    null);
        }
        String problem = signatureProblem(key, cose);
        if (problem != null) {
            return new Opened(Verdict.TAMPERED, problem, key, digest, null);
        }
        return new Opened(null, null, key, digest, cose.payload());
    }

    /**
     * @return why the key may not have signed a card of {@code issuer} at {@code issuedAt} (another organisation's
     *     key, or outside the key's validity), or null if it may
     */
    static String signerProblem(CardKey key, String issuer, Instant issuedAt) {
        if (!issuer.equals(key.organisation())) {
            return "the card names " + issuer + " as its issuer, but " + key.organisation() + "'s key " + key.keyIdHex()
                    + " signed it";
        }
        LocalDate signedOn = LocalDate.ofInstant(issuedAt, ZoneOffset.UTC);
        if (!key.validOn(signedOn)) {
            return "signed on " + signedOn + " with " + key.organisation() + "'s key " + key.keyIdHex()
                    + ", which may sign only from " + key.validFrom() + " to " + key.validTo();
        }
        return null;
    }

    /**
     * Adds the ledger's status to an offline check of a genuine card. The card must be anchored under its digest, and
     * its record under the card's commitment, both by the card's issuer; a revoked or superseded record or card
     * revokes or supersedes the card. A check that is not genuine is returned unchanged.
     *
     * @param offline the result of {@link #verify}
     * @param cardEntry the ledger's entry for the card's digest, or null if none
     * @param recordEntry the ledger's entry for the card's record commitment, or null if none
     */
    public static CardCheck withLedger(CardCheck offline, LedgerEntry cardEntry, LedgerEntry recordEntry) {
        if (!offline.genuine()) {
            return offline;
        }
        String issuer = offline.card().issuer();
        if (cardEntry == null) {
            return offline.with(
                    Verdict.NOT_FOUND,
                    "signed by " + issuer + ", but the ledger holds no entry for this card: it was never anchored");
        }
        if (!issuer.equals(cardEntry.mspId())) {
            return offline.with(
                    Verdict.NOT_FOUND,
                    "this card is anchored by " + cardEntry.mspId() + ", not by its issuer " + issuer);
        }
        if (recordEntry == null) {
            return offline.with(
                    Verdict.NOT_FOUND, "the card's record " + offline.card().commitmentHex() + " is not on the ledger");
        }
        if (!issuer.equals(recordEntry.mspId())) {
            return offline.with(
                    Verdict.NOT_FOUND,
                    "the card's record is anchored by " + recordEntry.mspId() + ", not by the card's issuer " + issuer
                            + ": an organisation signs cards only for its own records");
        }
        for (LedgerEntry entry : new LedgerEntry[] {recordEntry, cardEntry}) {
            String what = entry == recordEntry ? "the record" : "the card";
            if (LedgerEntry.REVOKED.equals(entry.status())) {
                return offline.with(
                        Verdict.REVOKED,
                        what + " was revoked by " + issuer
                                + (entry.revocationReason() == null ? "" : " (" + entry.revocationReason() + ")"));
            }
            if (LedgerEntry.SUPERSEDED.equals(entry.status())) {
                return offline.with(
                        Verdict.SUPERSEDED,
                        what + " was superseded by a corrected one"
                                + (entry.supersededBy() == null ? "" : " (" + entry.supersededBy() + ")"));
            }
        }
        return offline.with(offline.verdict(), offline.reason() + "; anchored by " + issuer + ", status active");
    }

    private static String signatureProblem(CardKey key, CardCodec.Cose cose) {
        byte[] signature = cose.signature();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(CardCodec.P256_ORDER.shiftRight(1)) > 0) {
            return "the signature is not in its low-S form: the card was changed after signing";
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key.publicKey());
            verifier.update(cose.toBeSigned());
            if (verifier.verify(signature)) {
                return null;
            }
        } catch (GeneralSecurityException e) {
            // a malformed r or s: the same as a signature that does not verify
        }
        return "the signature of " + key.organisation() + "'s key " + key.keyIdHex()
                + " does not verify: the card was changed after signing";
    }
}
