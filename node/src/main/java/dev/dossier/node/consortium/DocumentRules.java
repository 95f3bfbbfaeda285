package dev.dossier.node.consortium;

import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.credential.CredentialKey;
import dev.dossier.node.consortium.ConsortiumDocument.Member;
import dev.dossier.node.consortium.ConsortiumDocument.Node;
import dev.dossier.node.consortium.ConsortiumDocument.Organisation;
import dev.dossier.node.identity.IdentityException;
import dev.dossier.node.identity.IdentityValidator;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a consortium document well formed, checked on every node before one is applied, whoever proposed it:
 * the format version; at least one organisation and at least one node; unique MSP ids, organisation names, node
 * names and node addresses; names of a sane form; every organisation with at least one CA and one TLS CA, each a CA
 * certificate with an EC key; every node's signing certificate issued by its organisation's CA (and not revoked), its
 * TLS certificate by its organisation's TLS CA (and not revoked), its signing certificate's key a P-256 key (its
 * checkpoint key, which the trust file pins); revoked serials as lowercase hex; card and credential key lines that
 * parse, name their organisation and have key ids found once in the document. Deterministic: certificates are judged
 * by their signatures, never by a clock.
 */
final class DocumentRules {
    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
    private static final Pattern SERIAL = Pattern.compile("[1-9a-f][0-9a-f]{0,63}|0");
    private static final int MAX_ORGANISATIONS = 100;
    private static final int MAX_CAS = 4;
    private static final int MAX_NODES = 16;

    private DocumentRules() {}

    /** @throws IllegalArgumentException naming the broken rule */
    static void check(ConsortiumDocument document) {
        if (document.version() != ConsortiumDocument.FORMAT_VERSION) {
            throw new IllegalArgumentException("consortium document version " + document.version()
                    + " is not supported (expected " + ConsortiumDocument.FORMAT_VERSION + ")");
        }
        if (document.sequence() < 0) {
            throw new IllegalArgumentException("sequence " + document.sequence() + " is negative");
        }
        if (document.channel() == null || document.chaincode() == null) {
            throw new IllegalArgumentException("the document names no channel or no chaincode");
        }
        List<Organisation> organisations = document.organisations();
        if (organisations.isEmpty() || organisations.size() > MAX_ORGANISATIONS) {
            throw new IllegalArgumentException(
                    "a consortium has 1 to " + MAX_ORGANISATIONS + " organisations, not " + organisations.size());
        }
        Set<String> seen = new HashSet<>();
        for (Organisation organisation : organisations) {
            organisation(organisation, seen);
        }
        for (CardKey key : document.cardKeys()) {
            unique(seen, "card key id " + key.keyIdHex());
        }
        for (CredentialKey key : document.credentialKeys()) {
            unique(seen, "credential key id " + key.keyIdHex());
        }
        if (document.nodes().isEmpty()) {
            throw new IllegalArgumentException("no organisation has a node: the network would have none");
        }
        IdentityValidator validator;
        try {
            validator = new IdentityValidator(document.msps());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a CA certificate is not usable: " + e.getMessage(), e);
        }
        for (Member member : document.nodes()) {
            node(member, document.organisation(member.mspId()).orElseThrow(), validator, seen);
        }
    }

    private static void organisation(Organisation organisation, Set<String> seen) {
        String mspId = organisation.mspId();
        if (mspId == null || !MSP_ID.matcher(mspId).matches()) {
            throw new IllegalArgumentException("MSP id '" + mspId + "' is not of the form " + MSP_ID);
        }
        String what = "organisation " + mspId;
        named(organisation.name(), what + ": name");
        named(organisation.domain(), what + ": domain");
        unique(seen, "MSP id " + mspId);
        unique(seen, "organisation name " + organisation.name());
        cas(organisation.caCertificates(), what + ": CA certificates");
        cas(organisation.tlsCaCertificates(), what + ": TLS CA certificates");
        Set<String> serials = new HashSet<>();
        for (String serial : organisation.revokedSerials()) {
            if (serial == null || !SERIAL.matcher(serial).matches() || !serials.add(serial)) {
                throw new IllegalArgumentException(what + ": revoked serial '" + serial
                        + "' is not lowercase hex without leading zeros, or repeats");
            }
        }
        if (organisation.nodes().size() > MAX_NODES) {
            throw new IllegalArgumentException(what + " has more than " + MAX_NODES + " nodes");
        }
        for (String line : organisation.cardKeys()) {
            CardKey key = keyLine(() -> CardKey.parse(line), what + ": card key line '" + line + "'");
            if (!key.organisation().equals(mspId)) {
                throw new IllegalArgumentException(
                        what + ": card key " + key.keyIdHex() + " names " + key.organisation());
            }
        }
        for (String line : organisation.credentialKeys()) {
            CredentialKey key = keyLine(() -> CredentialKey.parse(line), what + ": credential key line '" + line + "'");
            if (!key.organisation().equals(mspId)) {
                throw new IllegalArgumentException(
                        what + ": credential key " + key.keyIdHex() + " names " + key.organisation());
            }
        }
    }

    private static <T> T keyLine(java.util.function.Supplier<T> parse, String what) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static void cas(List<String> pems, String what) {
        if (pems.isEmpty() || pems.size() > MAX_CAS) {
            throw new IllegalArgumentException(what + ": 1 to " + MAX_CAS + " are needed, not " + pems.size());
        }
        for (String pem : pems) {
            X509Certificate ca = certificate(pem, what);
            if (ca.getBasicConstraints() == -1) {
                throw new IllegalArgumentException(
                        what + ": " + ca.getSubjectX500Principal().getName() + " is not a CA certificate");
            }
        }
    }

    private static void node(Member member, Organisation organisation, IdentityValidator validator, Set<String> seen) {
        Node node = member.node();
        named(node.name(), "a node of " + member.mspId() + ": name");
        String what = "node " + node.name() + " of " + member.mspId();
        if (node.host() == null || !HOST.matcher(node.host()).matches()) {
            throw new IllegalArgumentException(what + ": host '" + node.host() + "' is not a host name or address");
        }
        if (node.port() < 1 || node.port() > 65535 - 2000) {
            throw new IllegalArgumentException(what + ": port " + node.port() + " is not in [1, 63535]");
        }
        unique(seen, "node name " + node.name());
        unique(seen, "node address " + node.host() + ":" + node.port());
        X509Certificate signing = certificate(node.certificate(), what + ": certificate");
        try {
            // its checkpoint key: it signs and cosigns the commitment log's checkpoints with it
            new NoteVerifier.Key(node.name(), signing.getPublicKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    what + ": certificate holds no P-256 key, which checkpoints are signed with", e);
        }
        try {
            validator.validate(
                    member.serializedIdentity(), signing.getNotBefore().toInstant());
        } catch (IdentityException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        X509Certificate tls = certificate(node.tlsCertificate(), what + ": TLS certificate");
        boolean issued = false;
        for (String pem : organisation.tlsCaCertificates()) {
            X509Certificate ca = ConsortiumDocument.certificate(pem);
            if (ca.getSubjectX500Principal().equals(tls.getIssuerX500Principal())) {
                try {
                    tls.verify(ca.getPublicKey());
                    issued = true;
                } catch (GeneralSecurityException e) {
                    // another CA of the same name may have issued it
                }
            }
        }
        if (!issued) {
            throw new IllegalArgumentException(
                    what + ": TLS certificate is not issued by a TLS CA of " + member.mspId());
        }
        if (organisation.revokedSerials().contains(tls.getSerialNumber().toString(16))) {
            throw new IllegalArgumentException(what + ": TLS certificate (serial "
                    + tls.getSerialNumber().toString(16) + ") is revoked: remove the node in the same change");
        }
    }

    private static X509Certificate certificate(String pem, String what) {
        if (pem == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        try {
            return ConsortiumDocument.certificate(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static void named(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not of the form " + NAME);
        }
    }

    private static void unique(Set<String> seen, String what) {
        if (!seen.add(what)) {
            throw new IllegalArgumentException("duplicate " + what);
        }
    }
}
