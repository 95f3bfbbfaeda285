package dev.dossier.client.credential;

import dev.dossier.client.LedgerEntry;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.note.NoteVerifier;
import dev.dossier.common.note.TrustFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.Contexts;
import dev.dossier.credential.CredentialCheck;
import dev.dossier.credential.CredentialKey;
import dev.dossier.credential.DataIntegrity;
import dev.dossier.credential.Dids;
import dev.dossier.credential.ProofException;
import dev.dossier.credential.VerificationKey;
import dev.dossier.crypto.P256PublicKey;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verdict on an Open Badges 3.0 (VC 2.0) credential, ours or another issuer's: its Data Integrity proof and issuer
 * key, then (online) its digest and its record on the ledger and its bit in the node's status list, then its dates.
 *
 * <p>Keys: a {@code did:key} resolves offline from itself; a {@code did:web} is never fetched from the host it names.
 * Its last path segment is the organisation (MSP id) and its fragment the key: the key is taken from the pinned {@code
 * credential-keys.txt} if given, else from {@code /<MSP id>/did.json} of the configured node. Status lists are
 * accepted only when signed by a node key of the pinned trust file, and read from the configured node.
 */
public final class CredentialVerifier {
    private static final Pattern RECORD_EVIDENCE = Pattern.compile("urn:dossier:record:([0-9a-f]{64})");
    private static final Pattern STATUS_LIST = Pattern.compile("https?://[^/]+(/v1/status-lists/(0|[1-9][0-9]{0,17}))");

    private final NodeApi node;
    private final TrustFile trust;
    private final List<CredentialKey> pinned;
    private final Contexts contexts;
    private final Clock clock;

    /**
     * The outcome of a check: the verdict (exit code 0 only for {@link Verdict#VALID}) and one sentence saying why.
     *
     * @param checked the credential whose proof verified, null for {@link Verdict#TAMPERED} and {@link
     *     Verdict#UNKNOWN_SIGNER}
     */
    public record Result(Verdict verdict, String reason, CredentialCheck.Checked checked) {}

    /**
     * @param node the node to ask, or null to verify offline (proof and dates only)
     * @param trust the pinned trust file, whose node keys sign status lists (may be null offline)
     * @param pinned the pinned organisations' credential keys, or empty to ask the node
     */
    public CredentialVerifier(
            NodeApi node, TrustFile trust, List<CredentialKey> pinned, Contexts contexts, Clock clock) {
        this.node = node;
        this.trust = trust;
        this.pinned = List.copyOf(pinned);
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws IOException if the node cannot be asked (for the issuer's keys, the ledger or the status list), or its
     *     status list is refused: no verdict can be given
     */
    public Result verify(String json) throws IOException, InterruptedException {
        CredentialCheck.Checked checked;
        String[] unknown = new String[1];
        try {
            JsonObject credential = CredentialCheck.parse(json);
            checked = CredentialCheck.check(
                    credential,
                    method -> {
                        try {
                            return issuerKey(method);
                        } catch (ProofException e) {
                            unknown[0] = e.getMessage();
                            throw e;
                        }
                    },
                    contexts);
        } catch (ProofException e) {
            if (unknown[0] != null && e.getCause() instanceof IOException nodeFailure) {
                // the node could not say which keys the issuer has: no verdict on the credential
                throw new IOException(e.getMessage(), nodeFailure);
            }
            return new Result(unknown[0] != null ? Verdict.UNKNOWN_SIGNER : Verdict.TAMPERED, e.getMessage(), null);
        }
        String signedBy = "signed by " + checked.issuer();
        if (node == null) {
            return dated(checked, signedBy + "; the ledger and the status list were not asked (offline)");
        }
        Commitment digest = CredentialIssuer.digest(json);
        Optional<LedgerEntry> entry = node.status(digest);
        if (entry.isEmpty()) {
            return new Result(
                    Verdict.NOT_FOUND,
                    "the proof is valid (" + signedBy + "), but the credential's digest " + digest
                            + " is not anchored on this ledger",
                    checked);
        }
        String organisation = organisation(checked.issuer());
        if (organisation == null || !organisation.equals(entry.get().mspId())) {
            return new Result(
                    Verdict.NOT_FOUND,
                    "the credential is anchored by " + entry.get().mspId() + ", not by its issuer " + checked.issuer(),
                    checked);
        }
        Result ledger = ledgerStatus(entry.get(), "the credential", checked);
        if (ledger != null) {
            return ledger;
        }
        Optional<Commitment> record = recordEvidence(checked.credential());
        if (record.isPresent()) {
            Optional<LedgerEntry> recordEntry = node.status(record.get());
            if (recordEntry.isEmpty() || !organisation.equals(recordEntry.get().mspId())) {
                return new Result(
                        Verdict.NOT_FOUND,
                        "the credential's record " + record.get() + " is not anchored by its issuer " + organisation,
                        checked);
            }
            ledger = ledgerStatus(recordEntry.get(), "its record", checked);
            if (ledger != null) {
                return ledger;
            }
        }
        String list = "";
        if (checked.status() != null) {
            Matcher matcher = STATUS_LIST.matcher(checked.status().statusListCredential());
            if (matcher.matches()) {
                if (revokedOnList(matcher.group(1), checked.status())) {
                    return new Result(
                            Verdict.REVOKED,
                            "bit " + checked.status().index() + " of status list " + matcher.group(2)
                                    + " is set: revoked",
                            checked);
                }
                list = ", not revoked on status list " + matcher.group(2);
            } else {
                list = ", its status list " + checked.status().statusListCredential() + " is not this ledger's";
            }
        }
        return dated(checked, signedBy + ", anchored by " + organisation + ", status active" + list);
    }

    private boolean revokedOnList(String path, CredentialCheck.StatusEntry entry)
            throws IOException, InterruptedException {
        String body = node.document(path).orElseThrow(() -> new IOException("the node has no status list " + path));
        try {
            return CredentialCheck.revoked(CredentialCheck.parse(body), entry, nodeKeys(trust), contexts);
        } catch (ProofException e) {
            throw new IOException("status list " + path + " refused: " + e.getMessage(), e);
        }
    }

    private Result dated(CredentialCheck.Checked checked, String reason) {
        if (checked.expiredAt(clock.instant())) {
            return new Result(
                    Verdict.EXPIRED,
                    reason + "; outside its validity ("
                            + (checked.validFrom() == null ? "" : "from " + checked.validFrom() + " ")
                            + (checked.validUntil() == null ? "" : "until " + checked.validUntil()) + ")",
                    checked);
        }
        return new Result(Verdict.VALID, reason, checked);
    }

    private static Result ledgerStatus(LedgerEntry entry, String what, CredentialCheck.Checked checked) {
        if ("revoked".equals(entry.status())) {
            return new Result(
                    Verdict.REVOKED,
                    what + " was revoked by " + entry.mspId()
                            + (entry.reason() == null ? "" : " (" + entry.reason() + ")"),
                    checked);
        }
        if ("superseded".equals(entry.status())) {
            return new Result(Verdict.SUPERSEDED, what + " was superseded by " + entry.supersededBy(), checked);
        }
        return null;
    }

    private static Optional<Commitment> recordEvidence(JsonObject credential) {
        JsonValue evidence = credential.get("evidence");
        if (!(evidence instanceof JsonArray items)) {
            return Optional.empty();
        }
        for (JsonValue item : items) {
            if (item instanceof JsonObject object && object.get("id") instanceof JsonString id) {
                Matcher matcher = RECORD_EVIDENCE.matcher(id.getString());
                if (matcher.matches()) {
                    return Optional.of(Commitment.fromHex(matcher.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    /** @return the MSP id of a {@code did:web:<host>:<MSP id>} issuer, else null */
    private static String organisation(String issuer) {
        try {
            Dids.Web web = Dids.web(issuer);
            return web.path().size() == 1 ? web.path().get(0) : null;
        } catch (ProofException notDidWeb) {
            return null;
        }
    }

    private VerificationKey issuerKey(String method) throws ProofException {
        if (method.startsWith("did:key:")) {
            return Dids.didKey(method);
        }
        Dids.Web web = Dids.web(method);
        if (web.path().size() != 1 || web.fragment() == null) {
            throw new ProofException("the issuer key " + method + " is not an organisation's key of this consortium"
                    + " (did:web:<node>:<MSP id>#key-<id>)");
        }
        String organisation = web.path().get(0);
        for (CredentialKey key : pinned) {
            if (key.organisation().equals(organisation) && key.fragment().equals(web.fragment())) {
                return key.key();
            }
        }
        if (!pinned.isEmpty() || node == null) {
            throw new ProofException("the issuer key " + method + " is not among the pinned credential keys");
        }
        return keyFromNode(organisation, web.fragment(), method);
    }

    private VerificationKey keyFromNode(String organisation, String fragment, String method) throws ProofException {
        String document;
        try {
            document = node.document("/" + organisation + "/did.json")
                    .orElseThrow(() -> new ProofException(
                            "organisation " + organisation + " has no credential key on this consortium's nodes"));
        } catch (IOException e) {
            throw new ProofException("cannot ask the node for " + organisation + "'s keys: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProofException("interrupted", new IOException("interrupted", e));
        }
        JsonObject controller;
        try {
            controller = CredentialCheck.parse(document);
        } catch (ProofException e) {
            String problem = "the node's controller document of " + organisation + " is not a JSON object";
            throw new ProofException(problem, new IOException(problem, e));
        }
        JsonValue methods = controller.get("verificationMethod");
        if (methods instanceof JsonArray list) {
            for (JsonValue value : list) {
                if (value instanceof JsonObject vm
                        && vm.get("id") instanceof JsonString id
                        && id.getString().endsWith(":" + organisation + "#" + fragment)
                        && vm.get("publicKeyMultibase") instanceof JsonString multibase) {
                    try {
                        return VerificationKey.fromMultibase(multibase.getString());
                    } catch (InvalidKeyException e) {
                        throw new ProofException("the node's key of " + method + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        throw new ProofException("the issuer key " + method + " is not in " + organisation + "'s controller document");
    }

    /**
     * @return the resolver of status list keys: a {@code did:web:<node>#<name>} resolves to the key the trust file
     *     pins for node {@code <name>}, whatever the host
     */
    public static DataIntegrity.KeyResolver nodeKeys(TrustFile trust) {
        return method -> {
            Dids.Web web = Dids.web(method);
            if (trust == null || !web.path().isEmpty() || web.fragment() == null) {
                throw new ProofException(
                        "the status list's key " + method + " is not a node key (did:web:<node>#<name>)");
            }
            for (NoteVerifier.Key key : trust.keys()) {
                if (key.name().equals(web.fragment())) {
                    try {
                        return new VerificationKey.P256(P256PublicKey.fromSubjectPublicKeyInfo(
                                key.publicKey().getEncoded()));
                    } catch (InvalidKeyException e) {
                        throw new ProofException("node key " + key.name() + ": " + e.getMessage(), e);
                    }
                }
            }
            throw new ProofException(
                    "the status list is signed by " + method + ", not a node of the pinned trust file");
        };
    }
}
