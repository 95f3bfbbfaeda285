package dev.dossier.client.cli;

import dev.dossier.client.credential.CredentialIssuance;
import dev.dossier.client.credential.CredentialVerifier;
import dev.dossier.client.credential.IssuedCredential;
import dev.dossier.client.digest.Commitment;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.client.transport.NodeApi;
import dev.dossier.common.file.AtomicFile;
import dev.dossier.common.verdict.Verdict;
import dev.dossier.credential.Contexts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** {@code dossier certificate --format ob3} and {@code dossier verify credential.json}: Open Badges 3.0 credentials. */
final class CredentialVerify {
    private CredentialVerify() {}

    /** @return whether {@code file} looks like a Verifiable Credential: JSON naming the VC 2.0 context early on */
    static boolean looksLikeCredential(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        }
        String text = new String(head, StandardCharsets.UTF_8).stripLeading();
        return text.startsWith("{") && text.contains("@context") && text.contains(Contexts.VC_V2);
    }

    /** Issues, writes and verifies back the credential of one anchored record. */
    static int issue(
            ClientOptions client,
            CredentialOptions credentials,
            TrainingRecord record,
            Commitment commitment,
            Path file)
            throws Exception {
        NodeApi node = new NodeApi(client.nodeUrl());
        IssuedCredential issued;
        try (ClientOptions.Session session = client.connect("issuer", true)) {
            issued = session.dossier()
                    .issueCredentials(
                            List.of(new CredentialIssuance.Anchored(record, commitment)),
                            credentials.issuer(client),
                            node)
                    .get(0);
        }
        AtomicFile.write(file, issued.json() + "\n");
        CredentialVerifier.Result verdict = verifier(client, credentials, node).verify(issued.json());
        System.out.println("Open Badges 3.0 credential of " + record.recordId() + " (record " + commitment + ")");
        System.out.println("  " + verdict.verdict() + ": " + verdict.reason());
        System.out.println("  json        " + file);
        System.out.println("  digest      " + issued.digest() + " (anchored, kind credential)");
        System.out.println("  status      " + issued.status().statusListCredential() + " index "
                + issued.status().index());
        return verdict.verdict() == Verdict.VALID ? 0 : Main.NOT_VALID;
    }

    /** Verifies a credential file and prints the verdict. */
    static int run(ClientOptions client, CredentialOptions credentials, Path file, boolean offline) throws Exception {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        CredentialVerifier verifier = offline
                ? new CredentialVerifier(null, null, credentials.pinned(client), Contexts.bundled(), Clock.systemUTC())
                : verifier(client, credentials, new NodeApi(client.nodeUrl()));
        CredentialVerifier.Result verdict = verifier.verify(json);
        System.out.println(verdict.verdict() + ": " + verdict.reason());
        if (verdict.checked() != null) {
            var credential = verdict.checked().credential();
            System.out.println("  credential  " + credential.getString("name", "(no name)"));
            System.out.println("  issuer      " + verdict.checked().issuer());
            System.out.println("  proof       " + verdict.checked().proof().cryptosuite() + " by "
                    + verdict.checked().proof().verificationMethod());
            System.out.println("  valid       "
                    + (verdict.checked().validFrom() == null
                            ? "-"
                            : verdict.checked().validFrom()) + " to "
                    + (verdict.checked().validUntil() == null
                            ? "no end"
                            : verdict.checked().validUntil()));
        }
        return verdict.verdict() == Verdict.VALID ? 0 : Main.NOT_VALID;
    }

    private static CredentialVerifier verifier(ClientOptions client, CredentialOptions credentials, NodeApi node)
            throws IOException {
        return new CredentialVerifier(
                node, client.trust(), credentials.pinned(client), Contexts.bundled(), Clock.systemUTC());
    }
}
