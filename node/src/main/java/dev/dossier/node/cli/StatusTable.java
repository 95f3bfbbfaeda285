package dev.dossier.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table {@code dossier network status} prints: a line per node from its {@code /healthz}, with what its ordering
 * waits for. A node that did not answer gets its reason in place of the figures.
 */
final class StatusTable {
    static final List<String> HEADER = List.of(
            "node",
            "status",
            "height",
            "role",
            "leader",
            "term",
            "commit",
            "applied",
            "lag",
            "queued",
            "batches",
            "uncommitted",
            "oldest");

    private final List<List<String>> rows = new ArrayList<>();

    /** Adds the line of a node that answered {@code /healthz} with {@code health}. */
    void add(String node, JsonNode health) {
        JsonNode ordering = health.path("ordering");
        List<String> row = new ArrayList<>(HEADER.size());
        row.add(node);
        row.add(text(health.path("status")));
        row.add(text(health.path("height")));
        row.add(text(ordering.path("role")));
        row.add(text(ordering.path("leader")));
        row.add(text(ordering.path("term")));
        row.add(text(ordering.path("commit_index")));
        row.add(text(ordering.path("applied_index")));
        row.add(text(ordering.path("follower_lag")));
        row.add(text(ordering.path("queued_transactions")));
        row.add(text(ordering.path("batches_in_flight")));
        row.add(text(ordering.path("uncommitted_transactions")));
        JsonNode oldest = ordering.path("oldest_uncommitted_seconds");
        row.add(oldest.isNumber() ? String.format(Locale.ROOT, "%.1f s", oldest.asDouble()) : "-");
        rows.add(row);
    }

    /** Adds the line of a node that did not answer, with the reason. */
    void addUnreachable(String node, String reason) {
        rows.add(List.of(node, "unreachable: " + reason));
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }

    /** @return the table, columns aligned, a header line first; an unreachable node's reason runs to the line's end */
    String format() {
        int[] widths = new int[HEADER.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADER.get(i).length();
        }
        for (List<String> row : rows) {
            if (row.size() == HEADER.size()) {
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(Math.max(0, widths[i] - cell.length())));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
