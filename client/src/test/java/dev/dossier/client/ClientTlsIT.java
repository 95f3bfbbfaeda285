package dev.dossier.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dossier.client.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's CLI reaches a node that serves mutual TLS only when told to use TLS ({@code --tls}). */
class ClientTlsIT {
    @Test
    void verify_overMutualTls_reachesTheLedger_plaintextDoesNot(@TempDir Path directory) throws Exception {
        try (LocalNode node = new LocalNode(directory.resolve("ledger"), true)) {
            List<String> args = new ArrayList<>(List.of("verify", "--hash", "ab".repeat(32)));
            args.addAll(List.of(node.cli("Inspector", directory.resolve("keys"))));

            int plaintext = Main.run(args.toArray(String[]::new));
            args.add("--tls");
            int tls = Main.run(args.toArray(String[]::new));

            assertThat(tls).as("NOT_FOUND: the ledger answered over TLS").isEqualTo(4);
            assertThat(plaintext).as("plaintext to a TLS node fails").isEqualTo(1);
        }
    }
}
