package dev.dossier.common.card;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A card-signing key made with the JDK for tests: ES256 in {@code r || s} form, S made low as the format requires. */
final class TestSigner implements CardCodec.Signer {
    private final KeyPair pair;

    /** A fresh random key. */
    TestSigner() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** A given key, such as the fuzz tests' fixed one. */
    TestSigner(KeyPair pair) {
        this.pair = pair;
    }

    CardKey key(String organisation, LocalDate from, LocalDate to) {
        return new CardKey(organisation, from, to, pair.getPublic().getEncoded());
    }

    byte[] keyId() {
        return CardKey.keyId(pair.getPublic().getEncoded());
    }

    String sign(Card card) {
        return CardCodec.encode(card, keyId(), this);
    }

    /** Signs any claims behind {@code prefix}, for payloads the honest encoders cannot make. */
    String signClaims(String prefix, Map<Long, Object> claims) {
        byte[] protectedHeader = Cbor.encode(Map.of(1L, -7L, 4L, keyId()));
        byte[] payload = Cbor.encode(claims);
        byte[] signature = sign(CardCodec.toBeSigned(protectedHeader, payload));
        return prefix
                + Base45.encode(
                        Cbor.encode(new Cbor.Tagged(18, List.of(protectedHeader, Map.of(), payload, signature))));
    }

    @Override
    public byte[] sign(byte[] toBeSigned) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(pair.getPrivate());
            signer.update(toBeSigned);
            byte[] rs = signer.sign();
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64));
            if (s.compareTo(CardCodec.P256_ORDER.shiftRight(1)) > 0) {
                byte[] low = CardCodec.P256_ORDER.subtract(s).toByteArray();
                Arrays.fill(rs, 32, 64, (byte) 0);
                int length = Math.min(low.length, 32);
                System.arraycopy(low, low.length - length, rs, 64 - length, length);
            }
            return rs;
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
