package dev.dossier.chaincode;

import dev.dossier.common.json.JsonReader;
import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The contract's arguments, checked: commitments, JSON arguments and anchor requests. A malformed argument is a
 * {@link ChaincodeException} with {@link ErrorCode#INVALID_ARGUMENT} and a message that says what is wrong, quoting
 * at most an abbreviation of what was given.
 */
final class Arguments {
    private Arguments() {}

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
