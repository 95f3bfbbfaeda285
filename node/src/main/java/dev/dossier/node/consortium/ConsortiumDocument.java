package dev.dossier.node.consortium;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import dev.dossier.common.card.CardKey;
import dev.dossier.common.note.Checkpoint;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.credential.CredentialKey;
import dev.dossier.crypto.Pem;
import dev.dossier.node.identity.Msp;
import dev.dossier.node.identity.Signer;
import dev.dossier.node.identity.TlsTrust;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The consortium as the ledger holds it: its organisations (MSP id, CA and TLS CA certificates, the serial numbers
 * the consortium revoked, card-signing and credential key lines) and their nodes (name, address, signing and TLS
 * certificates), at a sequence number that each change raises by one. The genesis block holds sequence 0, made from
 * {@code consortium.yaml}; after that only a vote changes it ({@link ConsortiumChanges}). Every node derives the
 * consortium in force from its ledger, so nodes agree on it at every block.
 *
 * <p>Its bytes are JSON with members in alphabetical order and no whitespace ({@link #toJson}), certificates in PEM:
 * the same document always gives the same bytes, and its SHA-256 ({@link #hash}) names a proposal. Immutable; lists
 * are copied. {@link #parse} checks every rule ({@link DocumentRules}); the constructor checks none of the
 * certificates, so only {@link #parse} and {@link #checked} hand out documents a node will apply.
 *
 * @param version the format version, {@value #FORMAT_VERSION}
 * @param sequence 0 in the genesis block, one more after each change
 * @param channel the channel, which no change may alter
 * @param chaincode the notary chaincode, which no change may alter
 * @param organisations the member organisations, at least one, at least one of them with a node
 */
public record ConsortiumDocument(
        int version, long sequence, String channel, String chaincode, List<Organisation> organisations) {
    /** The format version this node reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** The largest document accepted, in bytes. */
    public static final int MAX_BYTES = 1 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    public ConsortiumDocument {
        organisations = List.copyOf(requireNonNull(organisations, "organisations"));
    }

    /**
     * A member organisation.
     *
     * @param mspId its MSP id, which names it everywhere
     * @param name its short name, such as {@code org1}
     * @param domain the domain of its identities, such as {@code org1.dossier.local}
     * @param caCertificates PEM of the root CAs that issue its identities
     * @param tlsCaCertificates PEM of the root CAs that issue its TLS certificates
     * @param revokedSerials serial numbers (lowercase hex) of its certificates the consortium revoked
     * @param nodes its nodes
     * @param cardKeys its card-signing keys, as trust file lines ({@code card ...})
     * @param credentialKeys its credential keys, as lines of {@code credential-keys.txt}
     */
    public record Organisation(
            String mspId,
            String name,
            String domain,
            List<String> caCertificates,
            List<String> tlsCaCertificates,
            List<String> revokedSerials,
            List<Node> nodes,
            List<String> cardKeys,
            List<String> credentialKeys) {
        public Organisation {
            caCertificates = copy(caCertificates);
            tlsCaCertificates = copy(tlsCaCertificates);
            revokedSerials = copy(revokedSerials);
            nodes = copy(nodes);
            cardKeys = copy(cardKeys);
            credentialKeys = copy(credentialKeys);
        }

        /** @return this organisation with {@code serial} revoked (kept once, in order) */
        public Organisation revoking(BigInteger serial) {
            Set<String> serials = new LinkedHashSet<>(revokedSerials);
            serials.add(serial.toString(16));
            return with(List.copyOf(serials), nodes, cardKeys, credentialKeys);
        }

        /** @return this organisation with other nodes */
        public Organisation withNodes(List<Node> newNodes) {
            return with(revokedSerials, newNodes, cardKeys, credentialKeys);
        }

        /** @return this organisation with other card and credential key lines */
        public Organisation withKeys(List<String> newCardKeys, List<String> newCredentialKeys) {
            return with(revokedSerials, nodes, newCardKeys, newCredentialKeys);
        }

        private Organisation with(
                List<String> serials, List<Node> newNodes, List<String> newCardKeys, List<String> newCredentialKeys) {
            return new Organisation(
                    mspId,
                    name,
                    domain,
                    caCertificates,
                    tlsCaCertificates,
                    serials,
                    newNodes,
                    newCardKeys,
                    newCredentialKeys);
        }
    }

    /**
     * A node of an organisation.
     *
     * @param name its unique name, such as {@code node0.org1.dossier.local}
     * @param host where it listens and is reached
     * @param port its gateway port (Raft: plus 1000; HTTP: plus 2000)
     * @param certificate PEM of its signing certificate, issued by its organisation's CA
     * @param tlsCertificate PEM of its TLS certificate, issued by its organisation's TLS CA
     */
    public record Node(String name, String host, int port, String certificate, String tlsCertificate) {}

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /**
     * Reads a document and checks every rule of {@link DocumentRules}.
     *
     * @throws IllegalArgumentException saying what is malformed or which rule is broken
     */
    public static ConsortiumDocument parse(byte[] json) {
        requireNonNull(json, "json");
        if (json.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "the consortium document has " + json.length + " bytes, more than " + MAX_BYTES);
        }
        ConsortiumDocument document;
        try {
            document = JSON.readValue(json, ConsortiumDocument.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the consortium document is not valid JSON of its format: "
                    + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()));
        }
        if (document == null) {
            throw new IllegalArgumentException("the consortium document is empty");
        }
        return document.checked();
    }

    /**
     * @return this document, once every rule of {@link DocumentRules} holds
     * @throws IllegalArgumentException saying which rule is broken
     */
    public ConsortiumDocument checked() {
        DocumentRules.check(this);
        return this;
    }

    /** @return the document's canonical bytes: JSON, members in alphabetical order, no whitespace */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the consortium document", e);
        }
    }

    /** @return the document, indented for people (the same members as {@link #toJson}) */
    public String toPrettyJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the consortium document", e);
        }
    }

    /** @return SHA-256 of {@link #toJson}, 64 lowercase hex digits */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toJson()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** @return the same document at another sequence, with other organisations */
    public ConsortiumDocument with(long newSequence, List<Organisation> newOrganisations) {
        return new ConsortiumDocument(version, newSequence, channel, chaincode, newOrganisations);
    }

    /** @return the organisations, in order, the one of {@code mspId} changed by {@code change} */
    public List<Organisation> organisationsWith(String mspId, UnaryOperator<Organisation> change) {
        return organisations.stream()
                .map(o -> o.mspId().equals(mspId) ? change.apply(o) : o)
                .toList();
    }

    /** @return the member organisations' MSP ids, in order */
    public List<String> mspIds() {
        return organisations.stream().map(Organisation::mspId).toList();
    }

    /** @return the organisation with that MSP id */
    public Optional<Organisation> organisation(String mspId) {
        return organisations.stream().filter(o -> o.mspId().equals(mspId)).findFirst();
    }

    /** @return every node, in order, with the MSP id of its organisation */
    public List<Member> nodes() {
        List<Member> out = new ArrayList<>();
        for (Organisation organisation : organisations) {
            for (Node node : organisation.nodes()) {
                out.add(new Member(organisation.mspId(), node));
            }
        }
        return out;
    }

    /** A node with the MSP id of its organisation. */
    public record Member(String mspId, Node node) {
        /** @return the node's serialized identity, as it signs endorsements and blocks */
        public ByteString serializedIdentity() {
            return Signer.serializedIdentity(mspId, certificate(node.certificate()));
        }
    }

    /** @return the serialized identities of every node, whose endorsements count */
    public Set<ByteString> nodeIdentities() {
        Set<ByteString> out = new HashSet<>();
        for (Member member : nodes()) {
            out.add(member.serializedIdentity());
        }
        return out;
    }

    /**
     * @return every organisation's card-signing keys, in the document's order (lines checked by {@link DocumentRules})
     */
    public List<CardKey> cardKeys() {
        return organisations.stream()
                .flatMap(o -> o.cardKeys().stream())
                .map(CardKey::parse)
                .toList();
    }

    /** @return every organisation's credential keys, in the document's order */
    public List<CredentialKey> credentialKeys() {
        return organisations.stream()
                .flatMap(o -> o.credentialKeys().stream())
                .map(CredentialKey::parse)
                .toList();
    }

    /**
     * The trust file of this consortium, as {@code /v1/keys} serves it: the log's origin, each node's checkpoint key
     * (the public key of its signing certificate) under its name, a strict majority of them as the cosigners a
     * checkpoint needs, and every organisation's card keys.
     */
    public TrustFile trustFile() {
        List<NoteVerifier.Key> keys = nodes().stream()
                .map(member -> new NoteVerifier.Key(
                        member.node().name(),
                        certificate(member.node().certificate()).getPublicKey()))
                .toList();
        return TrustFile.majority(Checkpoint.origin(channel, chaincode), keys).withCardKeys(cardKeys());
    }

    /** @return one MSP per organisation: its CAs, and the serials the consortium revoked */
    public List<Msp> msps() {
        List<Msp> out = new ArrayList<>();
        for (Organisation organisation : organisations) {
            out.add(new Msp(
                    organisation.mspId(),
                    certificates(organisation.caCertificates()),
                    List.of(),
                    revoked(organisation)));
        }
        return out;
    }

    /** @return one TLS authority per organisation: its TLS CAs, and the serials the consortium revoked */
    public List<TlsTrust.Authority> tlsAuthorities() {
        List<TlsTrust.Authority> out = new ArrayList<>();
        for (Organisation organisation : organisations) {
            out.add(new TlsTrust.Authority(
                    organisation.mspId(), certificates(organisation.tlsCaCertificates()), revoked(organisation)));
        }
        return out;
    }

    /** @return the TLS certificate of every node, in order */
    public List<X509Certificate> nodeTlsCertificates() {
        return nodes().stream().map(m -> certificate(m.node().tlsCertificate())).toList();
    }

    private static List<X509Certificate> certificates(List<String> pems) {
        return pems.stream().map(ConsortiumDocument::certificate).toList();
    }

    private static Set<BigInteger> revoked(Organisation organisation) {
        Set<BigInteger> revoked = new HashSet<>();
        for (String serial : organisation.revokedSerials()) {
            revoked.add(new BigInteger(serial, 16));
        }
        return revoked;
    }

    /**
     * @return the certificate of one PEM block
     * @throws IllegalArgumentException if it is not exactly one PEM certificate
     */
    static X509Certificate certificate(String pem) {
        byte[] der = Pem.decodeStrict(
                        "CERTIFICATE", requireNonNull(pem, "certificate").getBytes(StandardCharsets.UTF_8))
                .orElseThrow(() -> new IllegalArgumentException("a certificate is not one PEM CERTIFICATE block"));
        try {
            return Pem.certificateFromDer(der);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("a certificate does not parse: " + e.getMessage(), e);
        }
    }
}
