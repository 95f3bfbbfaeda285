package dev.dossier.client.transport;

import io.grpc.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Why a Gateway call failed, in the words of whoever refused it. A Fabric peer's gateway answers a refused
 * endorsement with a status such as {@code ABORTED failed to endorse transaction, see attached details for more
 * info} and puts each endorser's answer, {@code chaincode response 500, <the contract's message>}, in the status's
 * {@link ErrorDetail}s; a Dossier node answers in the same words. The reason shown is the contract's own message
 * when there is one, else the details' messages, else the status description.
 */
final class GatewayFailure {
    /** What Fabric's endorsers put before the contract's message: {@code chaincode response <status>, }. */
    private static final Pattern CHAINCODE_RESPONSE = Pattern.compile("chaincode response \\d+, ", Pattern.DOTALL);

    private GatewayFailure() {}

    /**
     * @param status the call's gRPC status
     * @param details the error details attached to it, possibly empty
     * @return the reason of the failure: the distinct messages of the contract (or else of the details), joined by
     *     {@code "; "}, or the status description, or the status code when there is neither
     */
    static String reason(Status status, List<ErrorDetail> details) {
        Set<String> messages = new LinkedHashSet<>();
        for (ErrorDetail detail : details) {
            if (!detail.getMessage().isBlank()) {
                messages.add(contractMessage(detail.getMessage()));
            }
        }
        if (!messages.isEmpty()) {
            return String.join("; ", messages);
        }
        String description = status.getDescription();
        return description == null || description.isBlank() ? status.getCode().name() : contractMessage(description);
    }

    /** @return what follows {@code chaincode response <status>, } in {@code message}, or the whole message */
    private static String contractMessage(String message) {
        Matcher m = CHAINCODE_RESPONSE.matcher(message);
        return m.find() ? message.substring(m.end()) : message;
    }
}
