package dev.dossier.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dossier.node.ledger.Ledger;
import dev.dossier.node.log.CommitmentLog;
import dev.dossier.node.revocation.RevocationIndex;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin socket of a node's stores (RocksDB on disk), a backup through it, and a restore of that backup. */
class AdminSocketTest {
    @TempDir
    Path dir;

    private Ledger ledger;
    private CommitmentLog log;
    private RevocationIndex revocations;
    private AdminSocket socket;

    @BeforeEach
    void open() throws Exception {
        Path data = dir.resolve("data");
        ledger = Ledger.open(data.resolve(NodeBackup.LEDGER));
        log = CommitmentLog.open(data.resolve(NodeBackup.LOG_DIRECTORY), "notary");
        revocations = RevocationIndex.open(data.resolve(NodeBackup.REVOCATIONS), "notary", "origin");
        socket = AdminSocket.start(
                data, new NodeBackup(ledger, log, revocations, "dossier", "node0.org1.dossier.local", "Org1MSP"));
    }

    @AfterEach
    void close() {
        socket.close();
        revocations.close();
        log.close();
        ledger.close();
    }

    private String request(String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(AdminSocket.path(dir.resolve("data"))));
            Channels.newOutputStream(channel).write(line.getBytes(StandardCharsets.UTF_8));
            return AdminSocket.readLine(channel);
        }
    }

    @Test
    void socketDirectory_isTheOwnersOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("data").resolve(AdminSocket.DIRECTORY))))
                .isEqualTo("rwx------");
    }

    @Test
    void backup_thenRestore_givesAnAuditedDataDirectory() throws IOException {
        BackupManifest manifest = AdminClient.backup(dir.resolve("data"), dir.resolve("backup"));
        assertThat(manifest.node()).isEqualTo("node0.org1.dossier.local");
        assertThat(manifest.mspId()).isEqualTo("Org1MSP");
        assertThat(manifest.height()).isZero();
        assertThat(BackupManifest.read(dir.resolve("backup"))).isEqualTo(manifest);
        assertThat(dir.resolve("backup").resolve(NodeBackup.LEDGER).resolve("CURRENT"))
                .exists();
        assertThat(dir.resolve("backup").resolve(NodeBackup.LOG_DIRECTORY).resolve("CURRENT"))
                .exists();
        assertThat(dir.resolve("backup").resolve(NodeBackup.REVOCATIONS).resolve("CURRENT"))
                .exists();
        assertThat(dir.resolve("backup").resolve(NodeBackup.RAFT)).doesNotExist();

        Restore.Result restored = Restore.restore(dir.resolve("backup"), dir.resolve("restored"));
        assertThat(restored.manifest()).isEqualTo(manifest);
        assertThat(restored.audit().clean()).isTrue();
        assertThat(dir.resolve("restored").resolve(NodeBackup.LEDGER).resolve("CURRENT"))
                .exists();
    }

    @Test
    void backupIntoANonEmptyDirectory_isRefusedAndLeavesItAlone() throws IOException {
        Path taken = dir.resolve("taken");
        Files.createDirectories(taken);
        Files.writeString(taken.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> AdminClient.backup(dir.resolve("data"), taken))
                .hasMessageContaining("exists and is not empty");
        assertThat(taken.resolve("keep.txt")).hasContent("mine");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".partial-"));
        }
    }

    @Test
    void badRequests_getAnError() throws IOException {
        assertThat(request("backup relative/dir\n"))
                .isEqualTo("error backup directory relative/dir is not an absolute path");
        assertThat(request("delete everything\n")).startsWith("error unknown request");
        assertThat(request("backup /" + "x".repeat(AdminSocket.MAX_REQUEST_BYTES) + "\n"))
                .isEqualTo("error line longer than " + AdminSocket.MAX_REQUEST_BYTES + " bytes");
    }

    @Test
    void noRunningNode_saysSo() {
        assertThatThrownBy(() -> AdminClient.backup(dir.resolve("elsewhere"), dir.resolve("backup")))
                .hasMessageContaining("no admin socket");
    }

    @Test
    void restore_refusesADataDirectoryWithANode_andWhatIsNotABackup() throws IOException {
        assertThatThrownBy(() -> Restore.restore(dir.resolve("data"), dir.resolve("restored")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a backup: it has no backup.json");
        AdminClient.backup(dir.resolve("data"), dir.resolve("backup"));
        assertThatThrownBy(() -> Restore.restore(dir.resolve("backup"), dir.resolve("data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a node's ledger/");
    }
}
