package dev.dossier.node.gateway;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which organisations' nodes must endorse a transaction, per chaincode function. Read from the network's
 * {@code endorsement.yaml}:
 *
 * <pre>{@code
 * default: creatorOrg          # functions not listed below
 * functions:
 *   anchor: creatorOrg         # a node of the submitting identity's organisation
 *   approvePolicy: majority    # nodes of more than half of the organisations
 * }</pre>
 *
 * <p>{@link #DEFAULT}, which {@code network init} writes: anchoring, revoking and superseding need the creator's
 * organisation; {@code initPolicy}, {@code proposePolicy} and {@code approvePolicy} need a majority.
 *
 * <p>Rules: {@code creatorOrg} (a node of the organisation of the transaction's creator), {@code anyOrg} (a node of
 * any organisation), {@code majority} (nodes of more than half of the organisations), {@code allOrgs} (a node of
 * every organisation). A function is named as the client calls it; a {@code contract:} prefix is ignored. Immutable;
 * the same file gives the same verdicts on every node.
 */
public final class EndorsementPolicies {
    /** An endorsement rule. */
    public enum Rule {
        CREATOR_ORG("creatorOrg"),
        ANY_ORG("anyOrg"),
        MAJORITY("majority"),
        ALL_ORGS("allOrgs");

        private final String name;

        Rule(String name) {
            this.name = name;
        }

        static Rule named(String name) {
            for (Rule rule : values()) {
                if (rule.name.equalsIgnoreCase(name)) {
                    return rule;
                }
            }
            throw new IllegalArgumentException(
                    "unknown endorsement rule '" + name + "' (known: creatorOrg, anyOrg, " + "majority, allOrgs)");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The rules used when a network has no {@code endorsement.yaml}. */
    public static final EndorsementPolicies DEFAULT = defaults();

    private static EndorsementPolicies defaults() {
        Map<String, Rule> functions = new LinkedHashMap<>();
        for (String function : List.of("anchor", "anchorRecord", "anchorBatch", "revoke", "supersede")) {
            functions.put(function, Rule.CREATOR_ORG);
        }
        for (String function : List.of("initPolicy", "proposePolicy", "approvePolicy")) {
            functions.put(function, Rule.MAJORITY);
        }
        return new EndorsementPolicies(Rule.CREATOR_ORG, functions);
    }

    private final Rule defaultRule;
    private final Map<String, Rule> functions;

    public EndorsementPolicies(Rule defaultRule, Map<String, Rule> functions) {
        this.defaultRule = requireNonNull(defaultRule, "defaultRule");
        this.functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    /** @return the policies in the form {@link #load} reads, with a comment saying what the rules mean */
    public String toYaml() {
        StringBuilder out = new StringBuilder()
                .append("# Which organisations' nodes must endorse a transaction, per chaincode function.\n")
                .append("# Rules: creatorOrg (a node of the submitting identity's organisation), anyOrg, majority, ")
                .append("allOrgs.\n")
                .append("default: ")
                .append(defaultRule)
                .append('\n')
                .append("functions:\n");
        functions.forEach((function, rule) ->
                out.append("  ").append(function).append(": ").append(rule).append('\n'));
        return out.toString();
    }

    /**
     * Reads the policies from a YAML file of the form above.
     *
     * @throws IOException if the file cannot be read or is not of that form
     */
    public static EndorsementPolicies load(Path yaml) throws IOException {
        Map<?, ?> form;
        try {
            form = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(yaml), Map.class);
        } catch (JsonProcessingException e) {
            throw new IOException(yaml + ": " + e.getOriginalMessage(), e);
        }
        try {
            Object defaultRule = form == null ? null : form.get("default");
            Object functions = form == null ? null : form.get("functions");
            Map<String, Rule> rules = new LinkedHashMap<>();
            if (functions instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    rules.put(String.valueOf(entry.getKey()), Rule.named(String.valueOf(entry.getValue())));
                }
            } else if (functions != null) {
                throw new IllegalArgumentException("'functions' must map function names to rules");
            }
            return new EndorsementPolicies(
                    defaultRule == null ? Rule.CREATOR_ORG : Rule.named(String.valueOf(defaultRule)), rules);
        } catch (IllegalArgumentException e) {
            throw new IOException(yaml + ": " + e.getMessage(), e);
        }
    }

    /** @return the policies of the network directory's {@code endorsement.yaml}, or {@link #DEFAULT} without one */
    public static EndorsementPolicies forNetwork(Path networkDirectory) throws IOException {
        Path file = networkDirectory.resolve("endorsement.yaml");
        return Files.isRegularFile(file) ? load(file) : DEFAULT;
    }

    /** @return the rule for a function as the client names it ({@code anchor} or {@code notary:anchor}) */
    public Rule rule(String function) {
        String name = function == null ? "" : function;
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(colon + 1);
        }
        return functions.getOrDefault(name, defaultRule);
    }

    /**
     * @param creatorMsp the MSP id of the transaction's creator
     * @param endorsingMsps the MSP ids of the consortium nodes whose endorsements are valid
     * @param allMsps every organisation of the consortium
     * @return null if satisfied, else what is missing
     */
    public String unsatisfied(
            String function, String creatorMsp, Set<String> endorsingMsps, Collection<String> allMsps) {
        Rule rule = rule(function);
        return switch (rule) {
            case CREATOR_ORG ->
                endorsingMsps.contains(creatorMsp)
                        ? null
                        : "function " + function + " needs an endorsement by a node of the creator's organisation "
                                + creatorMsp;
            case ANY_ORG -> endorsingMsps.isEmpty() ? "function " + function + " needs an endorsement" : null;
            case MAJORITY ->
                2 * count(endorsingMsps, allMsps) > allMsps.size()
                        ? null
                        : "function " + function + " needs endorsements by a majority of the " + allMsps.size()
                                + " organisations, has " + count(endorsingMsps, allMsps);
            case ALL_ORGS ->
                count(endorsingMsps, allMsps) == allMsps.size()
                        ? null
                        : "function " + function + " needs an endorsement by every organisation";
        };
    }

    /**
     * @return the organisations whose nodes an endorsing gateway of organisation {@code ownMsp} asks, besides itself,
     *     so that the policy is satisfied: in consortium order, the fewest needed
     */
    public List<String> organisationsToAsk(String function, String creatorMsp, String ownMsp, List<String> allMsps) {
        Set<String> ask = new LinkedHashSet<>();
        switch (rule(function)) {
            case CREATOR_ORG -> ask.add(creatorMsp);
            case ANY_ORG -> {}
            case MAJORITY -> {
                int needed = allMsps.size() / 2 + 1;
                int have = allMsps.contains(ownMsp) ? 1 : 0;
                for (String msp : allMsps) {
                    if (have >= needed) {
                        break;
                    }
                    if (!msp.equals(ownMsp)) {
                        ask.add(msp);
                        have++;
                    }
                }
            }
            case ALL_ORGS -> ask.addAll(allMsps);
        }
        ask.remove(ownMsp);
        return new ArrayList<>(ask);
    }

    private static int count(Set<String> endorsing, Collection<String> all) {
        int n = 0;
        for (String msp : all) {
            if (endorsing.contains(msp)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "default " + defaultRule + ", " + functions;
    }
}
