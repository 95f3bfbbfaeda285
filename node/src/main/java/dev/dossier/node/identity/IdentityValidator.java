package dev.dossier.node.identity;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.dossier.crypto.EcIssuerKey;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.clock.NodeClock;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * Validates the serialized identities ({@code msp.SerializedIdentity}) that clients and nodes present, as a Fabric
 * peer's MSP does for X.509 identities, against the MSPs in force (replaced by {@link #update} when the consortium changes). Thread-safe.
 *
 * <p>An identity is accepted when all of these hold: the bytes are a {@code msp.SerializedIdentity}; its MSP id is one
 * of the configured MSPs; {@code id_bytes} is exactly one PEM {@code CERTIFICATE} block holding a DER X.509
 * certificate; the certificate is not a CA certificate; its issuer is one of that MSP's root CAs and the CA's ECDSA
 * signature over it verifies (intermediate CAs are not supported); the current time is within its validity period;
 * its key is EC on the named curve P-256; its Fabric CA attribute extension, if any, is well formed; its serial number
 * is not on a revocation list of its CA (the MSP's CRLs, each checked at construction to be signed by one of the MSP's
 * root CAs). Organisational-unit rules are not checked.
 *
 * <p>Validated identities are cached by their serialized bytes (at most 10,000 entries, an
 * arbitrary entry is evicted when full), so a repeated creator costs a map lookup; the validity period is checked
 * again on every cache hit.
 *
 * <pre>{@code
 * IdentityValidator validator = new IdentityValidator(consortium.msps());
 * Identity creator = validator.validate(signatureHeader.getCreator());
 * creator.verify(payloadBytes, envelope.getSignature().toByteArray());
 * }</pre>
 */
public final class IdentityValidator {
    /** Default bound on the number of cached identities. */
    static final int DEFAULT_CACHE_SIZE = 10_000;

    private final Clock clock;
    private final int cacheSize;
    /** The MSPs in force with their cache, replaced whole by {@link #update}. */
    private volatile Members members;

    /** The MSPs in force: their root CAs by MSP id, and the identities validated against them. */
    private record Members(
            Map<String, List<RootCa>> rootsByMsp, Set<String> mspIds, ConcurrentHashMap<ByteString, Identity> cache) {}

    /**
     * Creates a validator for the given MSPs.
     *
     * @param msps the consortium's MSPs, with distinct ids
     * @throws NullPointerException if {@code msps} or an element is null
     * @throws IllegalArgumentException if two MSPs share an id, or a root certificate is not a CA certificate with an
     *     EC key
     */
    public IdentityValidator(Collection<Msp> msps) {
        this(msps, NodeClock.clock(), DEFAULT_CACHE_SIZE);
    }

    IdentityValidator(Collection<Msp> msps, Clock clock, int cacheSize) {
        requireNonNull(msps, "msps");
        this.clock = requireNonNull(clock, "clock");
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize < 1");
        }
        this.cacheSize = cacheSize;
        this.members = members(msps);
    }

    /**
     * Replaces the MSPs this validator accepts (a consortium change that committed): identities are judged against
     * {@code msps} from now on, and none validated before is reused. Callers that must agree (every node applying the
     * same block) update between blocks.
     *
     * @throws NullPointerException if {@code msps} or an element is null
     * @throws IllegalArgumentException as the constructor; the MSPs in force are then unchanged
     */
    public void update(Collection<Msp> msps) {
        members = members(msps);
    }

    private static Members members(Collection<Msp> msps) {
        requireNonNull(msps, "msps");
        Map<String, List<RootCa>> roots = new LinkedHashMap<>();
        for (Msp msp : msps) {
            requireNonNull(msp, "msp");
            List<RootCa> cas = new ArrayList<>();
            for (X509Certificate certificate : msp.rootCertificates()) {
                cas.add(RootCa.of(msp.mspId(), certificate, msp.revocationLists(), msp.revokedSerials()));
            }
            for (X509CRL crl : msp.revocationLists()) {
                if (cas.stream().noneMatch(ca -> ca.subject().equals(crl.getIssuerX500Principal()))) {
                    throw new IllegalArgumentException("revocation list of "
                            + crl.getIssuerX500Principal().getName() + " is not from a CA of " + msp.mspId());
                }
            }
            if (roots.put(msp.mspId(), List.copyOf(cas)) != null) {
                throw new IllegalArgumentException("duplicate MSP id " + msp.mspId());
            }
        }
        return new Members(
                Collections.unmodifiableMap(roots),
                Collections.unmodifiableSet(roots.keySet()),
                new ConcurrentHashMap<>());
    }

    /**
     * Validates a serialized identity; see the class description for the checks.
     *
     * @param serializedIdentity a serialized {@code msp.SerializedIdentity}, such as a signature header's creator
     * @return the validated identity; the same object for the same bytes while it stays cached
     * @throws IdentityException naming the MSP and the failed check
     * @throws NullPointerException if {@code serializedIdentity} is null
     */
    public Identity validate(ByteString serializedIdentity) throws IdentityException {
        return validate(serializedIdentity, clock.instant());
    }

    /**
     * Validates a serialized identity as {@link #validate(ByteString)} does, but checks the certificate's validity
     * period at {@code now} instead of the current time. Nodes that must reach the same verdict (every node applying
     * the same ordered transactions) pass a time they agree on.
     *
     * @throws IdentityException naming the MSP and the failed check
     * @throws NullPointerException if an argument is null
     */
    public Identity validate(ByteString serializedIdentity, Instant now) throws IdentityException {
        requireNonNull(serializedIdentity, "serializedIdentity");
        requireNonNull(now, "now");
        Members current = members;
        ConcurrentHashMap<ByteString, Identity> cache = current.cache();
        Identity cached = cache.get(serializedIdentity);
        if (cached != null) {
            try {
                cached.checkValidity(now);
            } catch (IdentityException outsideValidity) {
                if (cached.expiredAt(now)) {
                    cache.remove(cached.serialized(), cached);
                }
                throw outsideValidity;
            }
            return cached;
        }
        Identity identity = parse(current, ByteString.copyFrom(serializedIdentity.asReadOnlyByteBuffer()));
        identity.checkValidity(now);
        while (cache.size() >= cacheSize) {
            Iterator<ByteString> keys = cache.keySet().iterator();
            if (!keys.hasNext()) {
                break;
            }
            keys.next();
            keys.remove();
        }
        Identity raced = cache.putIfAbsent(identity.serialized(), identity);
        return raced != null ? raced : identity;
    }

    /** @return the ids of the MSPs this validator accepts, in configuration order, unmodifiable */
    public Set<String> mspIds() {
        return members.mspIds();
    }

    private static Identity parse(Members current, ByteString serialized) throws IdentityException {
        SerializedIdentity proto;
        try {
            proto = SerializedIdentity.parseFrom(serialized);
        } catch (InvalidProtocolBufferException malformed) {
            throw new IdentityException("serialized identity is not a msp.SerializedIdentity", malformed);
        }
        String msp = printable(proto.getMspid());
        String what = "certificate of " + msp + ": ";
        List<RootCa> roots = current.rootsByMsp().get(proto.getMspid());
        if (roots == null) {
            throw new IdentityException(what + "unknown MSP");
        }
        byte[] der = Pem.decodeStrict("CERTIFICATE", proto.getIdBytes().toByteArray())
                .orElseThrow(() -> new IdentityException(what + "id_bytes is not one PEM CERTIFICATE block"));
        X509Certificate certificate;
        try {
            certificate = Pem.certificateFromDer(der);
        } catch (CertificateException malformed) {
            throw new IdentityException(what + "malformed X.509 certificate", malformed);
        }
        if (certificate.getBasicConstraints() != -1) {
            throw new IdentityException(what + "is a CA certificate, which cannot be used as an identity");
        }
        P256PublicKey publicKey;
        try {
            publicKey = P256PublicKey.fromCertificate(certificate);
        } catch (InvalidKeyException notP256) {
            throw new IdentityException(what + "key is not ECDSA P-256: " + notP256.getMessage(), notP256);
        }
        RootCa issuer = checkIssuedBy(what, msp, certificate, roots);
        if (issuer.revoked().contains(certificate.getSerialNumber())) {
            throw new IdentityException(what + "revoked: serial "
                    + certificate.getSerialNumber().toString(16) + " is on the revocation list of "
                    + issuer.subject().getName());
        }
        Map<String, String> attributes;
        try {
            attributes = FabricAttributes.decode(certificate);
        } catch (CertificateParsingException malformed) {
            throw new IdentityException(what + malformed.getMessage(), malformed);
        }
        return new Identity(proto.getMspid(), certificate, serialized, attributes, publicKey);
    }

    private static RootCa checkIssuedBy(String what, String msp, X509Certificate certificate, List<RootCa> roots)
            throws IdentityException {
        X500Principal issuer = certificate.getIssuerX500Principal();
        boolean issuerKnown = false;
        for (RootCa root : roots) {
            if (root.subject().equals(issuer)) {
                issuerKnown = true;
                if (root.signed(certificate)) {
                    return root;
                }
            }
        }
        throw new IdentityException(what + "not signed by " + msp + "'s CA ("
                + (issuerKnown ? "signature does not verify" : "issued by " + issuer.getName()) + ")");
    }

    /** Keeps attacker-supplied MSP ids short and printable in messages. */
    private static String printable(String mspId) {
        if (mspId.isEmpty()) {
            return "(no MSP id)";
        }
        StringBuilder out = new StringBuilder();
        mspId.codePoints().limit(64).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return mspId.codePointCount(0, mspId.length()) > 64 ? out + "…" : out.toString();
    }

    /**
     * A root CA certificate with its key prepared for lightweight ECDSA verification, and the serial numbers its
     * revocation lists revoke.
     */
    private record RootCa(X500Principal subject, EcIssuerKey key, Set<BigInteger> revoked) {
        /** @throws IllegalArgumentException if the certificate is not an EC CA or one of its CRLs does not verify */
        static RootCa of(String mspId, X509Certificate certificate, List<X509CRL> crls, Set<BigInteger> voted) {
            requireNonNull(certificate, "root certificate");
            String what =
                    "root certificate " + certificate.getSubjectX500Principal().getName() + " of " + mspId;
            if (certificate.getBasicConstraints() == -1) {
                throw new IllegalArgumentException(what + " is not a CA certificate");
            }
            EcIssuerKey ecKey;
            try {
                ecKey = EcIssuerKey.of(certificate);
            } catch (InvalidKeyException notEc) {
                throw new IllegalArgumentException(what + ": " + notEc.getMessage(), notEc);
            }
            Set<BigInteger> revoked = new HashSet<>(voted);
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                    continue;
                }
                try {
                    crl.verify(certificate.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(
                            "revocation list of " + what + " is not signed by that CA: " + e.getMessage(), e);
                }
                if (crl.getRevokedCertificates() != null) {
                    crl.getRevokedCertificates().forEach(entry -> revoked.add(entry.getSerialNumber()));
                }
            }
            return new RootCa(certificate.getSubjectX500Principal(), ecKey, Set.copyOf(revoked));
        }

        /** Verifies the ECDSA signature of this CA over the certificate. */
        boolean signed(X509Certificate certificate) {
            try {
                key.verifySignatureOf(certificate);
                return true;
            } catch (SignatureException invalid) {
                return false;
            }
        }
    }
}
