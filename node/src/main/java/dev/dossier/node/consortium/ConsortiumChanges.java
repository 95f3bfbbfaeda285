package dev.dossier.node.consortium;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dossier.node.ledger.KeyWrite;
import dev.dossier.node.ledger.StateView;
import dev.dossier.node.ledger.WriteCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The consortium's votes: a system namespace, {@value #NAMESPACE}, that the node runs itself (no contract can write
 * it). Its functions, called through the Gateway like a chaincode's ({@code chaincode = }{@value #NAMESPACE}):
 *
 * <ul>
 *   <li>{@code propose(document)}: a whole new {@link ConsortiumDocument} at the sequence after the one in force; the
 *       proposer's organisation's vote. Stored under {@code proposal/<hash>} with its votes, or applied at once when
 *       that vote is a strict majority (a one-organisation network).
 *   <li>{@code approve(hash)}: one more organisation's vote; the vote that reaches a strict majority of the member
 *       organisations writes the document as {@value #CONFIG_KEY} and deletes the proposal.
 *   <li>{@code config}, {@code proposals}: read the document in force and the pending proposals (no write).
 * </ul>
 *
 * Only an operator ({@code dossier.role = operator}) of a member organisation of the consortium in force may propose
 * or approve, once per organisation. A proposal carries the sequence it applies to: once another change commits, it is
 * stale and can no longer be approved. A proposal may add or remove at most one node (Raft changes its group one node
 * at a time), and must be well formed ({@link DocumentRules}).
 *
 * <p><b>Judged again at commit on every node, from the data itself.</b> {@link #check} recomputes, against the state
 * the transaction is committed on, what the call must write; a transaction whose writes differ by one byte (a forged
 * vote, a document nobody voted, a vote of a non-operator, a second vote, a stale proposal) is invalid and writes
 * nothing, whatever its endorser signed. The same code runs at endorsement ({@link #run}), so an honest call commits
 * exactly what it was endorsed with.
 */
public final class ConsortiumChanges {
    /** The system namespace, and the chaincode name clients call. */
    public static final String NAMESPACE = "_consortium";

    /** The key of the document in force. */
    public static final String CONFIG_KEY = "config";

    /** Proposals are stored under this prefix and their hash. */
    public static final String PROPOSAL_PREFIX = "proposal/";

    /** The role a proposer or voter must hold. */
    public static final String OPERATOR = "operator";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private ConsortiumChanges() {}

    /** Who calls: the creator's organisation and its {@code dossier.role} (null when it has none). */
    public record Caller(String mspId, String role) {
        public Caller {
            requireNonNull(mspId, "mspId");
        }
    }

    /** A pending proposal as stored: the document and the organisations that voted for it, in order of their votes. */
    public record Proposal(ConsortiumDocument document, List<String> votes) {
        public Proposal {
            requireNonNull(document, "document");
            votes = List.copyOf(votes);
        }

        byte[] toJson() {
            try {
                return JSON.writeValueAsBytes(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a proposal", e);
            }
        }

        static Proposal parse(byte[] json) {
            try {
                Proposal proposal = JSON.readValue(json, Proposal.class);
                return new Proposal(proposal.document().checked(), proposal.votes());
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException("a stored proposal does not decode: " + e.getMessage(), e);
            }
        }
    }

    /** What a call does: the keys it writes (a null value deletes) and its answer, or why it is refused. */
    public sealed interface Outcome {
        /** @param writes by key, in key order; a null value deletes the key */
        record Done(TreeMap<String, byte[]> writes, String answer) implements Outcome {}

        /** @param reason why nothing is written */
        record Refused(String reason) implements Outcome {}
    }

    /**
     * Runs a call against the state {@code read} gives (a key's current value, empty when absent). Deterministic.
     *
     * @param args the function name and its arguments, as a chaincode's
     * @return what it writes, or why it is refused; never throws for bad input
     */
    public static Outcome run(List<byte[]> args, Caller caller, Function<String, Optional<byte[]>> read) {
        if (args.isEmpty()) {
            return new Outcome.Refused("no function named: propose, approve, config or proposals");
        }
        String function = new String(args.get(0), UTF_8);
        Optional<byte[]> stored = read.apply(CONFIG_KEY);
        if (stored.isEmpty()) {
            return new Outcome.Refused("this channel's genesis block holds no consortium document: the consortium is"
                    + " the nodes' consortium.yaml and cannot be changed by vote");
        }
        ConsortiumDocument current = ConsortiumDocument.parse(stored.get());
        try {
            return switch (function) {
                case "config" -> read(args, 1, new TreeMap<>(), new String(stored.get(), UTF_8));
                case "propose" -> propose(arguments(args, 2, function).get(1), caller, current, read);
                case "approve" ->
                    approve(new String(arguments(args, 2, function).get(1), UTF_8), caller, current, read);
                default ->
                    new Outcome.Refused("unknown function '" + printable(function) + "' of " + NAMESPACE
                            + ": propose, approve, config (proposals are read with 'proposals')");
            };
        } catch (IllegalArgumentException e) {
            return new Outcome.Refused(e.getMessage());
        }
    }

    private static Outcome read(List<byte[]> args, int count, TreeMap<String, byte[]> none, String answer) {
        arguments(args, count, new String(args.get(0), UTF_8));
        return new Outcome.Done(none, answer);
    }

    private static List<byte[]> arguments(List<byte[]> args, int count, String function) {
        if (args.size() != count) {
            throw new IllegalArgumentException(
                    "'" + printable(function) + "' takes " + (count - 1) + " argument(s), not " + (args.size() - 1));
        }
        return args;
    }

    private static Outcome propose(
            byte[] json, Caller caller, ConsortiumDocument current, Function<String, Optional<byte[]>> read) {
        refuseUnlessOperator(caller, current, "propose a consortium change");
        ConsortiumDocument proposed;
        try {
            proposed = ConsortiumDocument.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the proposed consortium is malformed: " + e.getMessage(), e);
        }
        checkApplies(proposed, current);
        if (Arrays.equals(
                proposed.with(current.sequence(), proposed.organisations()).toJson(), current.toJson())) {
            throw new IllegalArgumentException("the proposed consortium is the one in force: nothing to change");
        }
        checkOneNodeAtATime(proposed, current);
        String hash = proposed.hash();
        if (read.apply(PROPOSAL_PREFIX + hash).isPresent()) {
            throw new IllegalArgumentException("proposal " + hash + " exists already: approve it");
        }
        return vote(new Proposal(proposed, List.of()), hash, caller, current);
    }

    private static Outcome approve(
            String hash, Caller caller, ConsortiumDocument current, Function<String, Optional<byte[]>> read) {
        refuseUnlessOperator(caller, current, "approve a consortium change");
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException(
                    "a proposal is named by 64 lowercase hex digits, not '" + printable(hash) + "'");
        }
        Proposal proposal = Proposal.parse(read.apply(PROPOSAL_PREFIX + hash)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no pending proposal " + hash + " (never proposed, or applied already)")));
        checkApplies(proposal.document(), current);
        if (proposal.votes().contains(caller.mspId())) {
            throw new IllegalArgumentException(
                    caller.mspId() + " has voted for proposal " + hash + " already: one vote per organisation");
        }
        return vote(proposal, hash, caller, current);
    }

    private static Outcome vote(Proposal proposal, String hash, Caller caller, ConsortiumDocument current) {
        List<String> votes = new ArrayList<>(proposal.votes());
        votes.add(caller.mspId());
        int members = current.organisations().size();
        long counted =
                votes.stream().filter(current.mspIds()::contains).distinct().count();
        int needed = members / 2 + 1;
        TreeMap<String, byte[]> writes = new TreeMap<>();
        boolean applied = counted >= needed;
        if (applied) {
            writes.put(CONFIG_KEY, proposal.document().toJson());
            if (!proposal.votes().isEmpty()) {
                writes.put(PROPOSAL_PREFIX + hash, null);
            }
        } else {
            writes.put(PROPOSAL_PREFIX + hash, new Proposal(proposal.document(), votes).toJson());
        }
        String answer = "{\"applied\":" + applied + ",\"hash\":\"" + hash + "\",\"needed\":" + needed + ",\"sequence\":"
                + proposal.document().sequence() + ",\"votes\":" + counted + "}";
        return new Outcome.Done(writes, answer);
    }

    private static void refuseUnlessOperator(Caller caller, ConsortiumDocument current, String what) {
        if (!current.mspIds().contains(caller.mspId())) {
            throw new IllegalArgumentException(
                    printable(caller.mspId()) + " is not a member organisation and may not " + what);
        }
        if (!OPERATOR.equals(caller.role())) {
            throw new IllegalArgumentException("role '" + printable(String.valueOf(caller.role())) + "' of "
                    + caller.mspId() + " may not " + what + ": only an operator may");
        }
    }

    /** A proposal applies only to the document in force: the next sequence, the same channel and chaincode. */
    private static void checkApplies(ConsortiumDocument proposed, ConsortiumDocument current) {
        if (proposed.sequence() != current.sequence() + 1) {
            throw new IllegalArgumentException("the proposal is for sequence " + proposed.sequence()
                    + " but the consortium in force is at sequence " + current.sequence()
                    + ": it is stale (or skips one); propose again from the consortium in force");
        }
        if (!proposed.channel().equals(current.channel())
                || !proposed.chaincode().equals(current.chaincode())) {
            throw new IllegalArgumentException("a change may not rename the channel or the chaincode");
        }
    }

    /** Raft changes its group one node at a time: a proposal adds or removes at most one node. */
    private static void checkOneNodeAtATime(ConsortiumDocument proposed, ConsortiumDocument current) {
        Set<String> before = names(current);
        Set<String> after = names(proposed);
        Set<String> added = new HashSet<>(after);
        added.removeAll(before);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(after);
        if (added.size() + removed.size() > 1) {
            throw new IllegalArgumentException("a change may add or remove at most one node (Raft changes its group"
                    + " one node at a time); this one adds " + added + " and removes " + removed);
        }
    }

    private static Set<String> names(ConsortiumDocument document) {
        Set<String> out = new HashSet<>();
        document.nodes().forEach(member -> out.add(member.node().name()));
        return out;
    }

    /**
     * The commit-time rule of a call to {@value #NAMESPACE}: the transaction must write exactly what {@link #run}
     * computes for the same call, caller and state, and nothing in any other namespace.
     *
     * @param args the function and arguments of the transaction's proposal
     * @param caller the creator, as its validated certificate says
     */
    public static WriteCheck check(List<byte[]> args, Caller caller) {
        List<byte[]> copied = args.stream().map(byte[]::clone).toList();
        return (writes, state) -> violation(copied, caller, writes, state);
    }

    private static Optional<String> violation(
            List<byte[]> args, Caller caller, List<KeyWrite> writes, StateView state) {
        Outcome outcome = run(args, caller, key -> state.value(NAMESPACE, key));
        if (outcome instanceof Outcome.Refused refused) {
            return Optional.of("consortium change refused: " + refused.reason());
        }
        Map<String, byte[]> expected = ((Outcome.Done) outcome).writes();
        if (writes.size() != expected.size()) {
            return Optional.of(differs(expected));
        }
        for (KeyWrite write : writes) {
            if (!write.namespace().equals(NAMESPACE)
                    || write.metadata().isPresent()
                    || !expected.containsKey(write.key())) {
                return Optional.of(differs(expected));
            }
            byte[] value = expected.get(write.key());
            boolean same = value == null
                    ? write.change() == KeyWrite.Change.DELETE
                    : write.change() == KeyWrite.Change.PUT && Arrays.equals(value, write.value());
            if (!same) {
                return Optional.of(differs(expected));
            }
        }
        return Optional.empty();
    }

    private static String differs(Map<String, byte[]> expected) {
        return "consortium change refused: its writes are not what the call computes on the ledger (expected writes"
                + " to " + expected.keySet() + " in " + NAMESPACE + " only)";
    }

    /** Keeps attacker-supplied text short and printable in messages. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(80).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return text.codePointCount(0, text.length()) > 80 ? out + "…" : out.toString();
    }
}
