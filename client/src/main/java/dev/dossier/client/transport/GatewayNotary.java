package dev.dossier.client.transport;

import io.grpc.Status;
import java.util.Locale;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;

/** {@link Notary} over the official fabric-gateway client. */
final class GatewayNotary implements Notary {
    private final Contract contract;

    GatewayNotary(Contract contract) {
        this.contract = contract;
    }

    @Override
    public Committed submit(String function, String... args) throws DossierException {
        Transaction transaction;
        try {
            transaction =
                    contract.newProposal(function).addArguments(args).build().endorse();
        } catch (EndorseException e) {
            throw failure(function + " was refused at endorsement", e.getTransactionId(), e);
        }
        String txId = transaction.getTransactionId();
        try {
            SubmittedTransaction submitted = transaction.submitAsync();
            org.hyperledger.fabric.client.Status status = submitted.getStatus();
            if (!status.isSuccessful()) {
                throw new DossierException(
                        function + " transaction " + txId + " was committed invalid: " + status.getCode(),
                        txId,
                        status.getCode().name(),
                        null);
            }
            return new Committed(txId, status.getBlockNumber(), transaction.getResult());
        } catch (SubmitException e) {
            throw failure(function + " could not be submitted", txId, e);
        } catch (CommitStatusException e) {
            throw failure(function + ": no commit status for " + txId, txId, e);
        }
    }

    @Override
    public byte[] evaluate(String function, String... args) throws DossierException {
        try {
            return contract.evaluateTransaction(function, args);
        } catch (GatewayException e) {
            String message =
                    GatewayFailure.reason(e.getStatus(), e.getDetails()).toLowerCase(Locale.ROOT);
            if (message.contains("not_found") || message.contains("not anchored") || message.contains("not found")) {
                return null;
            }
            throw failure(function + " failed", null, e);
        }
    }

    private static DossierException failure(String what, String txId, GatewayException e) {
        Status status = e.getStatus();
        return new DossierException(
                what + ": " + status.getCode() + " " + GatewayFailure.reason(status, e.getDetails()),
                txId,
                status.getCode().name(),
                e);
    }
}
