package dev.dossier.client.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CSV rows through Jackson's streaming CSV parser, one row at a time, each with the line it starts on. */
final class CsvSource implements RecordSource {
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final JsonParser parser;
    private final String[] header;
    private long line;

    CsvSource(InputStream in) throws IOException {
        parser = FACTORY.createParser(in);
        // WRAP_AS_ARRAY: the whole file is one array, each row an array of strings inside it
        if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_ARRAY) {
            throw new IOException("empty CSV file: a header row is required");
        }
        List<String> columns = readCells();
        if (columns == null) {
            throw new IOException("malformed CSV header");
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            String name = column.strip();
            if (Field.byColumn(name) == null) {
                throw new IOException("unknown column '" + name + "' in the CSV header");
            }
            if (!seen.add(name)) {
                throw new IOException("column '" + name + "' appears twice in the CSV header");
            }
        }
        header = columns.stream().map(String::strip).toArray(String[]::new);
    }

    @Override
    public RawRow next() throws IOException {
        JsonToken token;
        try {
            token = parser.nextToken();
        } catch (JsonProcessingException e) {
            throw new IOException(
                    "malformed CSV at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        }
        if (token != JsonToken.START_ARRAY) {
            return null; // the end of the file's array
        }
        List<String> cells = readCells();
        if (cells == null) {
            throw new IOException("malformed CSV at line " + line);
        }
        if (cells.size() != header.length) {
            Map<String, String> partial = new LinkedHashMap<>();
            if (!cells.isEmpty() && header[0].equals(Field.RECORD_ID.column())) {
                partial.put(header[0], cells.get(0));
            }
            return new RawRow(
                    line,
                    partial,
                    List.of(new Violation("row", "expected " + header.length + " columns, got " + cells.size())));
        }
        Map<String, String> fields = new LinkedHashMap<>(header.length * 2);
        for (int i = 0; i < header.length; i++) {
            fields.put(header[i], cells.get(i));
        }
        return new RawRow(line, fields, List.of());
    }

    /**
     * Reads the cells of the row whose START_ARRAY was just read, and sets {@link #line} to the line of its first cell;
     * null if the stream ends inside the row.
     */
    private List<String> readCells() throws IOException {
        List<String> cells = new ArrayList<>(32);
        for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
            if (t == JsonToken.END_ARRAY) {
                return cells;
            }
            if (cells.isEmpty()) {
                line = parser.currentTokenLocation().getLineNr();
            }
            cells.add(parser.getText());
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
