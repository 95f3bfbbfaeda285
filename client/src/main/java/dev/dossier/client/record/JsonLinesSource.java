package dev.dossier.client.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines rows: each line one JSON object, nested as {@link TrainingRecord#toJson()} writes it or flat with the CSV
 * column names. Nested objects are flattened to column names, so both forms validate the same way.
 */
final class JsonLinesSource implements RecordSource {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Field> NESTED = new LinkedHashMap<>();

    static {
        for (Field f : Field.values()) {
            NESTED.put(f.group() == null ? f.member() : f.group() + "." + f.member(), f);
        }
    }

    private final BufferedReader reader;
    private long line;

    JsonLinesSource(InputStream in) {
        reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public RawRow next() throws IOException {
        String text;
        do {
            text = reader.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new RawRow(
                    line, Map.of(), List.of(new Violation("row", "malformed JSON: " + e.getOriginalMessage())));
        }
        if (!node.isObject()) {
            return new RawRow(line, Map.of(), List.of(new Violation("row", "each line must be a JSON object")));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<Violation> problems = new ArrayList<>();
        flatten(node, "", fields, problems);
        return new RawRow(line, fields, problems);
    }

    private static void flatten(JsonNode object, String prefix, Map<String, String> fields, List<Violation> problems) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String path = prefix + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject() && prefix.isEmpty()) {
                flatten(value, path + ".", fields, problems);
                continue;
            }
            Field field = NESTED.get(path);
            if (field == null) {
                field = prefix.isEmpty() ? Field.byColumn(path) : null;
            }
            if (field == null) {
                problems.add(new Violation(path, "unknown field"));
            } else if (value.isArray() && field.kind() == Field.Kind.LIST) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                fields.put(field.column(), String.join(";", items));
            } else if (value.isValueNode() && !value.isNull()) {
                fields.put(field.column(), value.asText());
            } else if (!value.isNull()) {
                problems.add(Violation.of(field, "must be a " + (field.kind() == Field.Kind.LIST ? "list" : "scalar")));
            }
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
