package dev.dossier.chaincode;

import dev.dossier.common.json.JsonReader;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The contract's arguments, checked: commitments, JSON arguments and anchor requests. A malformed argument is a
 * {@link ChaincodeException} with {@link ErrorCode#INVALID_ARGUMENT} and a message that says what is wrong, quoting
 * at most an abbreviation of what was given.
 */
final class Arguments {
    /** How many arguments each transaction function of {@link NotaryContract} takes, its context left out. */
    private static final Map<String, Integer> COUNTS = counts();

    private Arguments() {}

    private static Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        for (Method m : NotaryContract.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Transaction.class)) {
                counts.put(m.getName(), m.getParameterCount() - 1);
            }
        }
        return Map.copyOf(counts);
    }

    /**
     * Refuses a call of {@code function} with {@code given} arguments when the function takes another number. The
     * contract API converts the arguments before any code of the contract runs and answers a missing one with a
     * bare "Unexpected error"; this check runs first ({@link NotaryContract#createContext}). Functions the contract
     * does not have are left to the contract API, which names them.
     *
     * @param function the function as called, bare or as {@code contract:function}
     */
    static void checkCount(String function, int given) {
        String name = function.substring(function.lastIndexOf(':') + 1);
        Integer wanted = COUNTS.get(name);
        if (wanted != null && wanted != given) {
            throw invalid(name + " takes " + wanted + (wanted == 1 ? " argument" : " arguments") + ", got " + given);
        }
    }

    /** @return the commitment in lowercase */
    static String commitment(String commitmentHex) {
        String commitment = Tokens.lowerHex64(commitmentHex);
        if (commitment == null) {
            throw invalid("commitment must be 64 hexadecimal digits, got '" + Tokens.abbreviate(commitmentHex) + "'");
        }
        return commitment;
    }

    /** @return the argument {@code what} parsed as JSON (see {@link JsonReader}) */
    static Object json(String json, String what) {
        try {
            return JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw invalid(what + ": " + e.getMessage());
        }
    }

    /** @return the anchor request that the parsed JSON {@code value} describes */
    static AnchorRequest request(Object value) {
        try {
            return AnchorRequest.of(value);
        } catch (AnchorRequest.Invalid e) {
            throw invalid(e.getMessage());
        }
    }

    /**
     * Reads element {@code i} of a batch of {@code {"commitment":"<64 hex>","reason":"<code>"}} objects.
     *
     * @param what what an element is, for the message ({@code revocation}, {@code rejection})
     * @param reasons the reason codes allowed
     * @param nothing what the refusal means for the batch ({@code nothing revoked})
     * @return {commitment in lowercase, reason code}
     * @throws ChaincodeException {@link ErrorCode#INVALID_ARGUMENT} naming the element and what is wrong
     */
    static String[] coded(int i, Object element, String what, List<String> reasons, String nothing) {
        if (!(element instanceof Map<?, ?> members)
                || members.size() != 2
                || !(members.get("commitment") instanceof String hex)
                || !(members.get("reason") instanceof String reason)) {
            throw invalid(what + " " + i + " must be {\"commitment\":\"<64 hex>\",\"reason\":\"<code>\"}"
                    + " and nothing else; " + nothing);
        }
        String commitment = Tokens.lowerHex64(hex);
        if (commitment == null) {
            throw invalid(what + " " + i + ": commitment must be 64 hexadecimal digits; " + nothing);
        }
        if (!reasons.contains(reason)) {
            throw invalid(what + " " + i + ": reason code must be one of " + reasons + ", got '"
                    + Tokens.abbreviate(reason) + "'; " + nothing);
        }
        return new String[] {commitment, reason};
    }

    static ChaincodeException invalid(String message) {
        return new ChaincodeException(message, ErrorCode.INVALID_ARGUMENT.name());
    }
}
