package dev.dossier.tools;

import dev.dossier.client.transport.Connections;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;

/**
 * A client of the adversity suite ({@code scripts/dossier fault --suite adversity}): anchors fresh commitments one per
 * transaction, one after another, never retrying, and writes what it was told about each, one line per transaction
 * (appended, flushed each time), so that the suite can hold the ledger to it afterwards:
 *
 * <pre>
 * &lt;unix ms at the answer&gt; &lt;commitment&gt; &lt;transaction id or -&gt; &lt;outcome&gt; &lt;latency ms&gt; &lt;detail&gt;
 * </pre>
 *
 * <p>Outcomes: {@code COMMITTED} (commit status {@code VALID}: the record must be on every node); {@code FAILED} (the
 * client was told the transaction will not commit: endorsement or ordering refused, or committed with another
 * validation code; the record must be on no node); {@code UNKNOWN} (no commit status in time, the connection lost
 * after the transaction was sent: either is allowed). It stops when {@code --stop-file} exists or after
 * {@code --seconds}.
 *
 * <p>Usage: {@code SingleRecordClient <endpoint> <mspId> <user MSP folder> <channel> <chaincode> <out file>
 * <stop file> <seconds> [pause ms]}
 */
public final class SingleRecordClient {
    private static final HexFormat HEX = HexFormat.of();

    private SingleRecordClient() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 8 || args[0].equals("--help")) {
            System.err.println("usage: SingleRecordClient <endpoint> <mspId> <user MSP folder> <channel> <chaincode>"
                    + " <out file> <stop file> <seconds> [pause ms]");
            System.exit(args.length > 0 && args[0].equals("--help") ? 0 : 2);
        }
        Path out = Path.of(args[5]);
        Path stop = Path.of(args[6]);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[7]));
        long pauseMillis = args.length > 8 ? Long.parseLong(args[8]) : 200;
        SecureRandom random = new SecureRandom();
        ManagedChannel channel = Connections.channel(args[0]);
        try (Gateway gateway =
                        Connections.gateway(args[1], Path.of(args[2]), channel).connect();
                PrintWriter writer = new PrintWriter(Files.newBufferedWriter(
                        out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            Contract contract = gateway.getNetwork(args[3]).getContract(args[4]);
            while (System.nanoTime() < end && !Files.exists(stop)) {
                byte[] commitment = new byte[32];
                random.nextBytes(commitment);
                writer.println(anchorOnce(contract, HEX.formatHex(commitment)));
                writer.flush();
                Thread.sleep(pauseMillis);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** @return the line that records one transaction and what the client was told about it */
    private static String anchorOnce(Contract contract, String commitment) {
        long start = System.nanoTime();
        String transactionId = "-";
        String outcome;
        String detail;
        try {
            Transaction transaction = contract.newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse();
            transactionId = transaction.getTransactionId();
            SubmittedTransaction submitted = transaction.submitAsync();
            var status = submitted.getStatus();
            outcome = status.isSuccessful() ? "COMMITTED" : "FAILED";
            detail = status.getCode().name();
        } catch (EndorseException | SubmitException e) {
            // the transaction was not created, or not accepted for ordering: it must never commit
            outcome = "FAILED";
            detail = describe(e);
        } catch (CommitStatusException e) {
            outcome = "UNKNOWN";
            detail = describe(e);
        } catch (RuntimeException e) {
            outcome = "UNKNOWN";
            detail = e.getClass().getSimpleName();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return System.currentTimeMillis() + " " + commitment + " " + transactionId + " " + outcome + " " + millis + " "
                + detail;
    }

    private static String describe(GatewayException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", "_");
        return e.getStatus().getCode() + ":" + message.substring(0, Math.min(120, message.length()));
    }
}
