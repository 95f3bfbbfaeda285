package dev.dossier.client.bulk;

import dev.dossier.client.digest.Commitment;
import dev.dossier.client.transport.DossierException;
import dev.dossier.client.transport.Notary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An issuer's decisions on drafts made for it under a delegation: validations ({@code validateDrafts(project,
 * commitmentsJson)}) or rejections with one reason code ({@code rejectDrafts(project, rejectionsJson)}), in
 * transactions of up to {@value #BATCH} drafts. Each answer lists per draft {@code {"commitment","outcome","reason"}}:
 * {@link Outcome#VALIDATED}, {@link Outcome#ALREADY_VALIDATED}, {@link Outcome#REJECTED},
 * {@link Outcome#ALREADY_REJECTED} or {@link Outcome#REFUSED} with the contract's reason.
 */
public final class DraftDecisions {
    /** The most drafts one transaction decides: the contract's batch limit. */
    public static final int BATCH = 5000;

    /** The reason codes a rejection takes, as the contract lists them. */
    public static final List<String> REJECTION_REASONS = List.of(
            "incomplete", "not_attended", "assessment_failed", "not_eligible", "wrong_module", "duplicate", "other");

    private DraftDecisions() {}

    /**
     * @param rejection null to validate the drafts, else the reason code to reject them with
     * @return the outcome of each draft, in order
     * @throws IllegalArgumentException for an unknown reason code
     * @throws DossierException if the contract refuses a transaction (the caller's role may not validate, ...) or
     *     answers in another form
     */
    public static List<Anchoring.Result> decide(
            Notary notary, String project, List<Commitment> drafts, String rejection) throws DossierException {
        Objects.requireNonNull(project, "project");
        if (rejection != null && !REJECTION_REASONS.contains(rejection)) {
            throw new IllegalArgumentException(
                    "rejection reason must be one of " + REJECTION_REASONS + ", got '" + rejection + "'");
        }
        String function = rejection == null ? "validateDrafts" : "rejectDrafts";
        List<Anchoring.Result> results = new ArrayList<>(drafts.size());
        for (int from = 0; from < drafts.size(); from += BATCH) {
            List<String> commitments = new ArrayList<>();
            StringBuilder argument = new StringBuilder(Math.min(BATCH, drafts.size() - from) * 100).append('[');
            for (Commitment draft : drafts.subList(from, Math.min(drafts.size(), from + BATCH))) {
                String hex = draft.toString();
                commitments.add(hex);
                argument.append(argument.length() > 1 ? "," : "");
                if (rejection == null) {
                    argument.append('"').append(hex).append('"');
                } else {
                    argument.append("{\"commitment\":\"")
                            .append(hex)
                            .append("\",\"reason\":\"")
                            .append(rejection)
                            .append("\"}");
                }
            }
            Notary.Committed committed =
                    notary.submit(function, project, argument.append(']').toString());
            try {
                results.addAll(Anchoring.parseResults(committed.result(), commitments));
            } catch (IOException e) {
                throw new DossierException(
                        function + " answered unexpectedly: " + e.getMessage(), committed.txId(), null, e);
            }
        }
        return results;
    }
}
