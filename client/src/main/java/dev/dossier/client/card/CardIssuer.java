package dev.dossier.client.card;

import dev.dossier.client.record.Field;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.card.Card;
import dev.dossier.common.card.CardCodec;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.card.WorkerCard;
import dev.dossier.crypto.P256PrivateKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Signs inspector's cards ({@code docs/card.md}) with an organisation's card-signing key, where the records are: the
 * card's personal data never reaches a node. Signatures are deterministic (RFC 6979), so the same record, commitment
 * and signing time give the same card.
 *
 * <pre>{@code
 * CardIssuer issuer = new CardIssuer(privateKey, cardKey);
 * String text = issuer.issue(record, commitment, Instant.now());   // "DC1:..." for an alphanumeric QR code
 * }</pre>
 */
public final class CardIssuer {
    private final P256PrivateKey privateKey;
    private final CardKey key;

    /**
     * @param privateKey the organisation's card-signing key
     * @param key the same key as the trust file lists it (organisation, validity)
     * @throws IllegalArgumentException if the two are not the same key
     */
    public CardIssuer(P256PrivateKey privateKey, CardKey key) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.key = Objects.requireNonNull(key, "key");
        if (!Arrays.equals(privateKey.publicKey().subjectPublicKeyInfo(), key.subjectPublicKeyInfo())) {
            throw new IllegalArgumentException("the private key is not the card key " + key.keyIdHex());
        }
    }

    /**
     * The issuer of a card key as the trust file lists it: the listed key with this private key's public key.
     *
     * @param privateKey the organisation's card-signing key
     * @param listed the trust file's card keys
     * @throws IllegalArgumentException if the trust file does not list the key
     */
    public static CardIssuer listed(P256PrivateKey privateKey, List<CardKey> listed) {
        byte[] publicKey = privateKey.publicKey().subjectPublicKeyInfo();
        for (CardKey key : listed) {
            if (Arrays.equals(key.subjectPublicKeyInfo(), publicKey)) {
                return new CardIssuer(privateKey, key);
            }
        }
        throw new IllegalArgumentException(
                "the trust file lists no card key " + HexFormat.of().formatHex(CardKey.keyId(publicKey))
                        + ": add its card line (docs/card.md) before signing cards with it");
    }

    /** @return the key as the trust file lists it */
    public CardKey key() {
        return key;
    }

    /** @return the facts of a record's card: the record's, its title cut, signed by this key's organisation */
    public Card card(TrainingRecord record, byte[] commitment, Instant signedAt) {
        return new Card(
                record.value(Field.WORKER_GIVEN_NAME),
                record.value(Field.WORKER_FAMILY_NAME),
                date(record, Field.WORKER_BIRTH_DATE),
                record.value(Field.COURSE_CODE),
                Card.cutTitle(record.value(Field.COURSE_TITLE)),
                record.value(Field.SAFETY_MODULE),
                record.value(Field.WORKLOAD_HOURS),
                date(record, Field.END_DATE),
                record.issueDate(),
                record.validUntil().orElse(null),
                record.value(Field.PROVIDER_NAME),
                key.organisation(),
                signedAt.truncatedTo(ChronoUnit.SECONDS),
                commitment);
    }

    /**
     * Signs a record's card.
     *
     * @param record the validated record
     * @param commitment the record's commitment, 32 bytes
     * @param signedAt the signing time, which must be within the key's validity
     * @return the card's text
     * @throws IllegalArgumentException if the key may not sign on that day, or the record's facts do not fit a card
     */
    public String issue(TrainingRecord record, byte[] commitment, Instant signedAt) {
        return sign(card(record, commitment, signedAt));
    }

    /** @return the card's text, signed with this key */
    public String sign(Card card) {
        maySign(card.issuer(), card.issuedAt());
        return CardCodec.encode(card, key.keyId(), privateKey::signFixed);
    }

    /** @return the worker's safety card's text ({@code DW1:...}), signed with this key */
    public String sign(WorkerCard card) {
        maySign(card.issuer(), card.issuedAt());
        return CardCodec.encode(card, key.keyId(), privateKey::signFixed);
    }

    private void maySign(String issuer, Instant signedAt) {
        LocalDate day = LocalDate.ofInstant(signedAt, java.time.ZoneOffset.UTC);
        if (!key.validOn(day)) {
            throw new IllegalArgumentException("card key " + key.keyIdHex() + " may sign only from " + key.validFrom()
                    + " to " + key.validTo() + ", not on " + day);
        }
        if (!issuer.equals(key.organisation())) {
            throw new IllegalArgumentException(
                    "card key " + key.keyIdHex() + " signs for " + key.organisation() + ", not " + issuer);
        }
    }

    private static LocalDate date(TrainingRecord record, Field field) {
        String value = record.value(field);
        return value == null ? null : LocalDate.parse(value);
    }
}
