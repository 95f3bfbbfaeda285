package dev.dossier.common.card;

import dev.dossier.common.verdict.Verdict;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The outcome of checking a card: the verdict and its reason, and, when the signature verified, the card's facts,
 * the key that signed it and the card's digest (SHA-256 of its COSE bytes, the commitment it is anchored under).
 *
 * @param verdict the verdict
 * @param reason one sentence saying why, for the inspector
 * @param card the facts, or null when they are not to be shown (not a card, not signed by a listed key)
 * @param key the listed key that signed it, or null
 * @param digest the card's digest, 32 bytes, or null if it did not decode
 * @param online whether the ledger was asked (false: signature, trust file and date only)
 */
public record CardCheck(Verdict verdict, String reason, Card card, CardKey key, byte[] digest, boolean online) {
    public CardCheck {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        digest = digest == null ? null : digest.clone();
    }

    @Override
    public byte[] digest() {
        return digest == null ? null : digest.clone();
    }

    /** @return the digest as 64 lowercase hex digits, or null */
    public String digestHex() {
        return digest == null ? null : HexFormat.of().formatHex(digest);
    }

    /** @return whether the signature verified against a listed key: the facts are the signer's */
    public boolean genuine() {
        return card != null;
    }

    CardCheck with(Verdict newVerdict, String newReason) {
        return new CardCheck(newVerdict, newReason, card, key, digest, true);
    }

    CardCheck offline(Verdict newVerdict, String newReason) {
        return new CardCheck(newVerdict, newReason, card, key, digest, online);
    }
}
