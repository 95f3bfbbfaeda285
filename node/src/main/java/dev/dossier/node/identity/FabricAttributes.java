package dev.dossier.node.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dossier.common.text.StrictUtf8;
import java.nio.charset.CharacterCodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.asn1.ASN1OctetString;

/**
 * The attribute extension that Fabric CA writes into enrollment certificates and that chaincode reads through {@code
 * ClientIdentity.getAttributeValue}.
 *
 * <p>Encoding (Fabric CA {@code attrmgr}): a non-critical X.509 extension with OID {@value #OID} whose {@code
 * extnValue} octets are, without further ASN.1 wrapping, the UTF-8 JSON {@code {"attrs":{"name":"value",...}}} with
 * the names in ascending order, no insignificant whitespace and Go's {@code encoding/json} escaping. Values are
 * strings.
 */
public final class FabricAttributes {
    /** Object identifier of the Fabric CA attribute extension. */
    public static final String OID = "1.2.3.4.5.6.7.8.1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FabricAttributes() {}

    /**
     * Encodes attributes as the {@code extnValue} octets of the extension, byte for byte as Fabric CA does.
     *
     * @param attributes names and values, none null
     * @return the UTF-8 JSON {@code {"attrs":{...}}}
     * @throws NullPointerException if the map, a name or a value is null
     */
    public static byte[] encode(Map<String, String> attributes) {
        requireNonNull(attributes, "attributes");
        StringBuilder json = new StringBuilder("{\"attrs\":{");
        boolean first = true;
        for (Map.Entry<String, String> attribute : sortedByUtf8(attributes).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            appendString(json, requireNonNull(attribute.getKey(), "attribute name"));
            json.append(':');
            appendString(json, requireNonNull(attribute.getValue(), "attribute value"));
        }
        return json.append("}}").toString().getBytes(UTF_8);
    }

    /**
     * Reads the attributes of a certificate.
     *
     * @param certificate any X.509 certificate
     * @return the attributes in name order, unmodifiable; empty when the certificate has no attribute extension or
     *     the extension has no {@code attrs} member
     * @throws CertificateParsingException if the extension is not UTF-8 JSON of the form above, has duplicate names
     *     or non-string values
     */
    public static Map<String, String> decode(X509Certificate certificate) throws CertificateParsingException {
        requireNonNull(certificate, "certificate");
        byte[] extension = certificate.getExtensionValue(OID);
        if (extension == null) {
            return Map.of();
        }
        try {
            byte[] value = ASN1OctetString.getInstance(extension).getOctets();
            String text = StrictUtf8.decode(value);
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new CertificateParsingException("attribute extension is not a JSON object");
            }
            JsonNode attrs = root.get("attrs");
            if (attrs == null || attrs.isNull()) {
                return Map.of();
            }
            if (!attrs.isObject()) {
                throw new CertificateParsingException("attribute extension: \"attrs\" is not a JSON object");
            }
            Map<String, String> attributes = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : attrs.properties()) {
                if (!field.getValue().isTextual()) {
                    throw new CertificateParsingException(
                            "attribute extension: value of \"" + field.getKey() + "\" is not a string");
                }
                attributes.put(field.getKey(), field.getValue().textValue());
            }
            return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        } catch (CharacterCodingException notUtf8) {
            throw new CertificateParsingException("attribute extension is not UTF-8", notUtf8);
        } catch (JsonProcessingException notJson) {
            throw new CertificateParsingException("attribute extension is not JSON: " + notJson.getOriginalMessage());
        } catch (IllegalArgumentException notOctetString) {
            throw new CertificateParsingException("attribute extension is not an OCTET STRING", notOctetString);
        }
    }

    /** Orders names by their UTF-8 bytes, as Go sorts map keys. */
    private static Map<String, String> sortedByUtf8(Map<String, String> attributes) {
        Map<String, String> sorted =
                new TreeMap<>((a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8)));
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            sorted.put(requireNonNull(attribute.getKey(), "attribute name"), attribute.getValue());
        }
        return sorted;
    }

    /** Appends a JSON string as Go's encoding/json writes it (HTML-safe escaping). */
    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
