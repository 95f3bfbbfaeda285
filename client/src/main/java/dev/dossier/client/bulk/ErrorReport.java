package dev.dossier.client.bulk;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-row error report of a bulk upload, CSV (RFC 4180) with header {@code line,record_id,field,reason}: one line
 * per problem, so a row with two bad fields has two lines. Thread-safe.
 */
final class ErrorReport implements Closeable {
    private final BufferedWriter out;
    private long lines;

    ErrorReport(Path file) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write("line,record_id,field,reason\n");
    }

    synchronized void add(long line, String recordId, String field, String reason) throws IOException {
        out.write(Long.toString(line));
        out.write(',');
        out.write(quote(recordId == null ? "" : recordId));
        out.write(',');
        out.write(quote(field));
        out.write(',');
        out.write(quote(reason));
        out.write('\n');
        lines++;
    }

    synchronized long lines() {
        return lines;
    }

    static String quote(String s) {
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c != ',' && c != '"' && c != '\n' && c != '\r';
        }
        return plain ? s : '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
