package dev.dossier.chaincode;

import dev.dossier.common.json.JsonReader;
import java.lang.reflect.Method;
import java.util.HashMap;
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

    static ChaincodeException invalid(String message) {
        return new ChaincodeException(message, ErrorCode.INVALID_ARGUMENT.name());
    }
}
