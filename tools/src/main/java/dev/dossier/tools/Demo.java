package dev.dossier.tools;

import dev.dossier.client.digest.Canonical;
import dev.dossier.client.digest.Commitments;
import dev.dossier.client.transport.Connections;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.Gateway;

/**
 * The walking-skeleton demo: a training body anchors the commitment of one training record through the official
 * fabric-gateway client, then reads the on-chain entry back. Only the salted hash leaves the client.
 *
 * <p>Usage: {@code Demo <endpoint> <mspId> <user MSP folder> <channel> <chaincode>}
 */
public final class Demo {
    private static final String RECORD = "{\"course\":{\"code\":\"SIC-GEN-4\",\"title\":\"Formazione generale"
            + " lavoratori\",\"workload_hours\":4},\"issue_date\":\"2026-11-20\",\"record_id\":\"DEMO-0001\","
            + "\"safety_module\":\"generale\",\"subject\":{\"fiscal_code\":\"RSSMRA80A01H501U\"}}";

    private Demo() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: Demo <endpoint> <mspId> <user MSP folder> <channel> <chaincode>");
            System.exit(2);
        }
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        String commitment = Commitments.record(salt, Canonical.jcs(RECORD)).toString();
        ManagedChannel channel = Connections.channel(args[0]);
        try (Gateway gateway =
                Connections.gateway(args[1], Path.of(args[2]), channel).connect()) {
            Contract contract = gateway.getNetwork(args[3]).getContract(args[4]);
            System.out.println("record      " + RECORD);
            System.out.println("commitment  " + commitment
                    + "  (salted SHA-256 of the RFC 8785 form; the record stays off-chain)");
            long started = System.nanoTime();
            var commit = contract.newProposal("anchor")
                    .addArguments(commitment, "record")
                    .build()
                    .endorse()
                    .submitAsync();
            var status = commit.getStatus();
            System.out.printf(
                    "anchored    tx %s in block %d: %s (%d ms)%n",
                    status.getTransactionId(),
                    status.getBlockNumber(),
                    status.getCode(),
                    (System.nanoTime() - started) / 1_000_000);
            if (!status.isSuccessful()) {
                System.exit(1);
            }
            byte[] entry = contract.evaluateTransaction("status", commitment);
            System.out.println("on chain    " + new String(entry, StandardCharsets.UTF_8));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
