package dev.dossier.client.card;

import dev.dossier.client.record.Field;
import dev.dossier.client.record.TrainingRecord;
import dev.dossier.common.card.WorkerCard;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a worker's safety card ({@link WorkerCard}) from the worker's records: one module per safety module (else
 * per course code), the newest record of each, bound to its entry by the first {@value
 * WorkerCard.Module#PREFIX_BYTES} bytes of its commitment.
 *
 * <pre>{@code
 * List<WorkerCards.Held> current = WorkerCards.current(held, Set.of());   // held: the worker's active records
 * String text = issuer.sign(WorkerCards.card(current, issuer.key().organisation(), Instant.now()));
 * }</pre>
 */
public final class WorkerCards {
    private WorkerCards() {}

    /**
     * One of the worker's records, with its commitment.
     *
     * @param record the validated record
     * @param commitment its commitment, 32 bytes
     */
    public record Held(TrainingRecord record, byte[] commitment) {
        public Held {
            Objects.requireNonNull(record, "record");
            if (commitment.length != 32) {
                throw new IllegalArgumentException("a commitment is 32 bytes, not " + commitment.length);
            }
            commitment = commitment.clone();
        }

        @Override
        public byte[] commitment() {
            return commitment.clone();
        }

        /**
         * @return the module this record trains: its safety module, else its course code (its first {@value
         *     WorkerCard.Module#MAX_CODE} characters), else its course title as a module holds it
         */
        public String code() {
            String module = record.value(Field.SAFETY_MODULE);
            if (module == null) {
                module = record.value(Field.COURSE_CODE);
            }
            if (module == null) {
                return WorkerCard.Module.cutTitle(record.value(Field.COURSE_TITLE));
            }
            int max = WorkerCard.Module.MAX_CODE;
            return module.codePointCount(0, module.length()) <= max
                    ? module
                    : module.substring(0, module.offsetByCodePoints(0, max));
        }
    }

    /**
     * The worker's current training: for each module, the record issued last (then the highest version), in the
     * order of the module codes.
     *
     * @param held the worker's records, already known to be active on the ledger
     * @param only the module codes to keep, or empty for all
     * @throws IllegalArgumentException if a code of {@code only} has no record
     */
    public static List<Held> current(List<Held> held, Set<String> only) {
        Comparator<Held> newer = Comparator.comparing((Held h) -> h.record().issueDate())
                .thenComparing(h -> h.record().version());
        Map<String, Held> byCode = new TreeMap<>();
        for (Held h : held) {
            if (only.isEmpty() || only.contains(h.code())) {
                byCode.merge(h.code(), h, (a, b) -> newer.compare(a, b) >= 0 ? a : b);
            }
        }
        for (String code : only) {
            if (!byCode.containsKey(code)) {
                throw new IllegalArgumentException("the worker has no current record of module " + code);
            }
        }
        return List.copyOf(byCode.values());
    }

    /**
     * The worker's card of the given records (at most {@value WorkerCard#MAX_MODULES}), with the worker's names and
     * birth date as the newest record writes them.
     *
     * @throws IllegalArgumentException if there are no records, more than {@value WorkerCard#MAX_MODULES}, or records
     *     of more than one worker
     */
    public static WorkerCard card(List<Held> current, String issuer, Instant signedAt) {
        if (current.isEmpty()) {
            throw new IllegalArgumentException("the worker has no current record to put on a card");
        }
        if (current.size() > WorkerCard.MAX_MODULES) {
            List<String> codes = current.stream().map(Held::code).toList();
            throw new IllegalArgumentException("the worker has " + current.size() + " current modules " + codes
                    + ", and a worker's card lists at most " + WorkerCard.MAX_MODULES
                    + ": choose the modules the work on site needs (--module)");
        }
        TrainingRecord newest = current.stream()
                .map(Held::record)
                .max(Comparator.comparing(TrainingRecord::issueDate))
                .orElseThrow();
        List<WorkerCard.Module> modules = new ArrayList<>(current.size());
        for (Held h : current) {
            if (!h.record().fiscalCode().equals(newest.fiscalCode())) {
                throw new IllegalArgumentException("records of two workers: " + newest.recordId() + " and "
                        + h.record().recordId());
            }
            modules.add(new WorkerCard.Module(
                    h.code(),
                    WorkerCard.Module.cutTitle(h.record().value(Field.COURSE_TITLE)),
                    h.record().validUntil().orElse(null),
                    Arrays.copyOf(h.commitment(), WorkerCard.Module.PREFIX_BYTES)));
        }
        String birth = newest.value(Field.WORKER_BIRTH_DATE);
        return new WorkerCard(
                newest.value(Field.WORKER_GIVEN_NAME),
                newest.value(Field.WORKER_FAMILY_NAME),
                birth == null ? null : LocalDate.parse(birth),
                modules,
                issuer,
                signedAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
