package dev.dossier.node.http;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.hash.Sha256;
import dev.dossier.crypto.P256PrivateKey;
import dev.dossier.crypto.P256PublicKey;
import dev.dossier.crypto.Pem;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.X509Identity;

/**
 * The HTTP API's way onto the ledger for API clients: the node acts as the official Fabric gateway client of each of
 * its organisation's {@linkplain ApiClients API clients}, with the user's own certificate and private key (custodial
 * keys, read from the user's MSP folder on the node's disk), over a loopback gRPC connection to the node's own
 * Gateway service. A request therefore goes through everything a remote client's request goes through: the proposal
 * is signed with the user's key (ECDSA P-256, low-S) and its transaction id is SHA-256(nonce ‖ creator); the gateway
 * checks the creator's certificate (CA, validity, revocation) and signature; the chaincode checks the user's role;
 * on a network of several nodes the gateway gathers the endorsements the endorsement policy asks for; the envelope
 * is signed with the user's key and submitted; and a transaction is reported only once CommitStatus says VALID, which
 * the node answers only after the block is durable.
 *
 * <p>Security: a token stands for its user and grants exactly what that user's certificate grants. The node holds the
 * users' private keys (they are read at start); anyone who controls the node can sign as those users, which is why
 * only the node's own organisation's users are accepted. Tokens are compared by their SHA-256, in constant time.
 *
 * <p>At most {@value #MAX_CONCURRENT} requests run at once (each holds one of the HTTP API's threads until the ledger
 * answers); others are refused at once as unavailable, so the rest of the HTTP API keeps threads of its own.
 */
public final class CustodialGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CustodialGateway.class.getName());

    /** Requests run through the gateway at once, at most. */
    static final int MAX_CONCURRENT = 4;

    /** Messages of the shim's own failures (not the contract's business errors). */
    private static final Set<String> GENERIC_FAILURES =
            Set.of("Unexpected error", "Error during contract method execution");

    private static final int MAX_MESSAGE_BYTES = 128 << 20;
    private static final Pattern CHAINCODE_MESSAGE = Pattern.compile("chaincode response \\d+, (.*)", Pattern.DOTALL);
    private static final String DENIAL = " may not call '";

    private final ManagedChannel channel;
    private final List<Caller> callers;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT, true);

    private CustodialGateway(ManagedChannel channel, List<Caller> callers) {
        this.channel = channel;
        this.callers = callers;
    }

    /** A user the node acts for: its client entry and the contract as seen through a gateway signed as that user. */
    record Caller(ApiClients.Client client, Gateway gateway, Contract contract) {}

    /**
     * Reads each client's certificate and key and prepares a gateway connection per client to the node's own gRPC
     * port; nothing is sent until a request comes.
     *
     * @param host the gateway's host (a wildcard address is reached as {@code localhost})
     * @param port the gateway's port
     * @param channelName the channel
     * @param chaincode the notary chaincode
     * @param clients API clients of the node's organisation
     * @param interceptors on every call to the gateway (the node's gRPC client metrics, say)
     * @return the custodial gateway, serving no one when {@code clients} is empty
     * @throws IOException if a client's MSP folder does not hold exactly one certificate in {@code signcerts/} and one
     *     key in {@code keystore/}, or they do not match (the message names the user)
     */
    public static CustodialGateway connect(
            String host,
            int port,
            String channelName,
            String chaincode,
            List<ApiClients.Client> clients,
            ClientInterceptor... interceptors)
            throws IOException {
        requireNonNull(host, "host");
        requireNonNull(channelName, "channelName");
        requireNonNull(chaincode, "chaincode");
        List<Loaded> identities = new ArrayList<>();
        for (ApiClients.Client client : clients) {
            identities.add(Loaded.of(client));
        }
        String target = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        ManagedChannel channel = NettyChannelBuilder.forAddress(target, port)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .intercept(interceptors)
                .build();
        List<Caller> callers = new ArrayList<>();
        for (Loaded loaded : identities) {
            Gateway gateway = Gateway.newInstance()
                    .identity(new X509Identity(loaded.client().mspId(), loaded.certificate()))
                    .signer(loaded.signer())
                    .connection(channel)
                    .evaluateOptions(deadline(30))
                    .endorseOptions(deadline(60))
                    .submitOptions(deadline(30))
                    .commitStatusOptions(deadline(60))
                    .connect();
            callers.add(new Caller(
                    loaded.client(), gateway, gateway.getNetwork(channelName).getContract(chaincode)));
        }
        LOG.info(() -> "HTTP API clients: "
                + (callers.isEmpty()
                        ? "none (POST /v1/anchor and GET /v1/dossier refuse every request)"
                        : callers.stream().map(c -> c.client().user()).toList()
                                + ", signed by the node with their keys"));
        return new CustodialGateway(channel, List.copyOf(callers));
    }

    private static UnaryOperator<CallOptions> deadline(int seconds) {
        return options -> options.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    /** A client's certificate and signer, read from its MSP folder. */
    private record Loaded(ApiClients.Client client, X509Certificate certificate, Signer signer) {
        static Loaded of(ApiClients.Client client) throws IOException {
            Path certificateFile = single(client, "signcerts");
            Path keyFile = single(client, "keystore");
            X509Certificate certificate = Pem.readCertificate(certificateFile);
            P256PrivateKey key = Pem.readPrivateKey(keyFile);
            try {
                if (!key.publicKey().equals(P256PublicKey.fromCertificate(certificate))) {
                    throw new IOException("the key of API client " + client.user() + " (" + keyFile
                            + ") does not match its certificate (" + certificateFile + ")");
                }
            } catch (InvalidKeyException notP256) {
                throw new IOException(
                        "cannot read the identity of API client " + client.user() + " from " + client.msp() + ": "
                                + certificateFile + ": " + notP256.getMessage(),
                        notP256);
            }
            Signer signer = key::signDigest;
            return new Loaded(client, certificate, signer);
        }

        private static Path single(ApiClients.Client client, String folder) throws IOException {
            Path directory = client.msp().resolve(folder);
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(Files::isRegularFile).toList();
            } catch (IOException e) {
                throw new IOException(
                        "cannot read the MSP folder of API client " + client.user() + ": " + directory + ": " + e, e);
            }
            if (files.size() != 1) {
                throw new IOException("the MSP folder of API client " + client.user() + " must hold one file in "
                        + directory + ", found " + files.size());
            }
            return files.get(0);
        }
    }

    /** @return how many API clients the node acts for */
    public int clients() {
        return callers.size();
    }

    /**
     * @param token the bearer token as presented
     * @return the client whose token hash is SHA-256 of {@code token}; every stored hash is compared, in constant
     *     time
     */
    Optional<Caller> authenticate(String token) {
        byte[] presented = Sha256.of(token.getBytes(StandardCharsets.US_ASCII));
        Caller found = null;
        for (Caller caller : callers) {
            if (MessageDigest.isEqual(presented, caller.client().tokenHash()) && found == null) {
                found = caller;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The outcome of a committed batch: the transaction, its block and the contract's result. */
    record Committed(String txId, long block, byte[] result) {}

    /**
     * Submits a batch function of the contract ({@code anchorBatch}, {@code revokeBatch}) with its one JSON argument as
     * the caller and waits for its commit. Each is idempotent, so a request whose commit was not confirmed may be sent
     * again.
     *
     * @throws CustodialException if the gateway or the contract refuses, or the commit is not confirmed VALID
     */
    Committed submit(Caller caller, String function, String argumentJson) throws CustodialException {
        acquire();
        try {
            var transaction = caller.contract()
                    .newProposal(function)
                    .addArguments(argumentJson)
                    .build()
                    .endorse();
            SubmittedTransaction submitted = transaction.submitAsync();
            String txId = submitted.getTransactionId();
            org.hyperledger.fabric.client.Status status;
            try {
                status = submitted.getStatus();
            } catch (CommitStatusException e) {
                throw new CustodialException(
                        CustodialException.Kind.UNAVAILABLE,
                        "transaction " + txId + " was submitted but its commit was not confirmed ("
                                + describe(e.getStatus()) + "); it may still commit: sending the same request again"
                                + " is safe, what was done already is reported as such",
                        txId);
            }
            if (!status.isSuccessful()) {
                throw new CustodialException(
                        CustodialException.Kind.UNAVAILABLE,
                        "transaction " + txId + " was not committed: " + status.getCode()
                                + "; nothing of it was written, send the request again",
                        txId);
            }
            return new Committed(txId, status.getBlockNumber(), submitted.getResult());
        } catch (EndorseException | SubmitException e) {
            throw refused(e);
        } finally {
            slots.release();
        }
    }

    /**
     * Evaluates {@code dossier(subject)} as the caller.
     *
     * @return the contract's result (a JSON array of entries)
     * @throws CustodialException if the gateway or the contract refuses
     */
    byte[] dossier(Caller caller, String subject) throws CustodialException {
        acquire();
        try {
            return caller.contract().evaluateTransaction("dossier", subject);
        } catch (GatewayException e) {
            throw refused(e);
        } finally {
            slots.release();
        }
    }

    private void acquire() throws CustodialException {
        if (!slots.tryAcquire()) {
            throw new CustodialException(
                    CustodialException.Kind.UNAVAILABLE,
                    "the node is busy with " + MAX_CONCURRENT + " ledger requests; retry shortly",
                    null);
        }
    }

    /**
     * Maps a refusal to what it means for the caller: the contract's role denial (its message says "may not call") is
     * a denial, any other contract error a bad request, a refused identity a denial, an unreachable or overloaded
     * gateway unavailability, anything else an internal error.
     */
    static CustodialException refused(GatewayException e) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription();
        // a Fabric gateway (and the node) puts the contract's answer in the error details of an endorsement
        Matcher chaincode = e.getDetails().stream()
                .map(detail -> CHAINCODE_MESSAGE.matcher(detail.getMessage()))
                .filter(Matcher::find)
                .findFirst()
                .orElseGet(() -> CHAINCODE_MESSAGE.matcher(description));
        if (chaincode.find(0)) {
            String message = chaincode.group(1);
            if (message.contains(DENIAL)) {
                return new CustodialException(CustodialException.Kind.DENIED, message, null);
            }
            if (GENERIC_FAILURES.contains(message)) {
                return new CustodialException(CustodialException.Kind.FAILED, "the contract failed: " + message, null);
            }
            return new CustodialException(CustodialException.Kind.INVALID, message, null);
        }
        return switch (status.getCode()) {
            case PERMISSION_DENIED ->
                new CustodialException(
                        CustodialException.Kind.DENIED,
                        "the gateway refused the API client's identity: " + description,
                        null);
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED ->
                new CustodialException(
                        CustodialException.Kind.UNAVAILABLE, "the ledger did not answer: " + describe(status), null);
            default ->
                new CustodialException(
                        CustodialException.Kind.FAILED, "the gateway refused the request: " + describe(status), null);
        };
    }

    private static String describe(Status status) {
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    /** Closes the gateways and the loopback connection. */
    @Override
    public void close() {
        for (Caller caller : callers) {
            caller.gateway().close();
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why a request of an API client did not go through; the kind chooses the HTTP status. */
    static final class CustodialException extends Exception {
        private static final long serialVersionUID = 1L;

        /** What kind of refusal. */
        enum Kind {
            /** The request is malformed (the contract said so): 400. */
            INVALID,
            /** The role policy or the gateway refuses the user: 403. */
            DENIED,
            /** The ledger did not complete the request in time, or the node is busy: 503. */
            UNAVAILABLE,
            /** Anything else: 500. */
            FAILED
        }

        private final Kind kind;
        private final String txId;

        CustodialException(Kind kind, String message, String txId) {
            super(message);
            this.kind = kind;
            this.txId = txId;
        }

        Kind kind() {
            return kind;
        }

        /** @return the transaction's id when it was submitted, else null */
        String txId() {
            return txId;
        }
    }
}
