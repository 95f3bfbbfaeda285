package dev.dossier.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared sample data ({@code shared/data} beside the repository). */
public final class TestData {
    private TestData() {}

    /** @return {@code shared/data/<name>}, found by walking up from the working directory */
    public static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "shared/data/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** @return a valid first-aid training row (CSV column names to text), issued 2025-06-01; modifiable */
    public static Map<String, String> validRow() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("record_id", "R-1");
        row.put("worker_fiscal_code", "CLMNIO76E27B354X");
        row.put("worker_given_name", "Ion");
        row.put("worker_family_name", "Colombo");
        row.put("worker_birth_date", "1976-05-27");
        row.put("provider_name", "Scuola Edile di Roma");
        row.put("course_title", "Addetto primo soccorso");
        row.put("safety_module", "primo_soccorso");
        row.put("learning_outcomes", "Knows first aid");
        row.put("workload_hours", "12");
        row.put("delivery_mode", "onsite");
        row.put("assessment_type", "practical test");
        row.put("quality_assurance", "Regional accreditation");
        row.put("start_date", "2025-05-27");
        row.put("end_date", "2025-05-28");
        row.put("issue_date", "2025-06-01");
        row.put("country", "it");
        return row;
    }
}
