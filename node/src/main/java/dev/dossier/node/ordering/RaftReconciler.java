package dev.dossier.node.ordering;

import static java.util.Objects.requireNonNull;

import dev.dossier.common.concurrent.DaemonThreads;
import dev.dossier.node.identity.TlsSettings;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Brings the Raft group to the nodes the consortium in force lists, after a change that adds or removes a node has
 * committed. Every node runs one, and only the Raft leader acts, so a change is driven once by whoever leads; it
 * checks every {@value #PERIOD_SECONDS} seconds until the group's configuration holds exactly the wanted nodes, so a
 * leader that fails mid-way is replaced by one that finishes, and a node that restarts takes the consortium from its
 * ledger and carries on (setting a group to the members it has is never done twice: the group is compared first).
 *
 * <p>A node to add is added once it answers its {@code /healthz} at all (it was started with {@code --join} and waits
 * to be added: it cannot commit yet); until then the group stays as it is. A change is made only if a strict majority
 * of the new group is reachable now, so that the group it leaves behind can commit: "reachable" is this leader, the
 * joining node that answered, and every other member whose {@code /healthz} answered 200 (it can commit) within the
 * probe's timeout at the moment of the change. Otherwise the leader waits and says why.
 */
public final class RaftReconciler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RaftReconciler.class.getName());
    static final long PERIOD_SECONDS = 2;

    private final RaftOrderer orderer;
    private final String channel;
    private final String self;
    private final TlsSettings tls;
    private final ToIntFunction<RaftSettings.Member> health;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("raft-membership"));
    private volatile List<RaftSettings.Member> wanted;
    private volatile String lastWait = "";

    /**
     * @param health the HTTP status a node's {@code /healthz} answers now, or -1 when it does not answer
     * @param tls this node's TLS, to reach a group that runs over mutual TLS, or null
     */
    public RaftReconciler(
            RaftOrderer orderer,
            String channel,
            String self,
            TlsSettings tls,
            ToIntFunction<RaftSettings.Member> health) {
        this.orderer = requireNonNull(orderer, "orderer");
        this.channel = requireNonNull(channel, "channel");
        this.self = requireNonNull(self, "self");
        this.tls = tls;
        this.health = requireNonNull(health, "health");
        thread.scheduleWithFixedDelay(this::step, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /** The group should be {@code members} (the consortium in force changed, or the node started). */
    public void want(List<RaftSettings.Member> members) {
        wanted = List.copyOf(members);
    }

    private void step() {
        List<RaftSettings.Member> target = wanted;
        if (target == null || !orderer.isLeader()) {
            return;
        }
        Optional<Set<String>> current = orderer.groupMembers();
        Set<String> names = target.stream().map(RaftSettings.Member::name).collect(Collectors.toSet());
        if (current.isEmpty() || current.get().equals(names)) {
            return;
        }
        Set<String> joining = new HashSet<>(names);
        joining.removeAll(current.get());
        for (RaftSettings.Member member : target) {
            if (joining.contains(member.name()) && health.applyAsInt(member) < 0) {
                waitFor("node " + member.name() + " is to join the Raft group but does not answer yet: start it with"
                        + " --join; the group stays " + current.get() + " until it answers");
                return;
            }
        }
        long reachable = target.stream()
                .filter(m -> m.name().equals(self) || joining.contains(m.name()) || health.applyAsInt(m) == 200)
                .count();
        int majority = target.size() / 2 + 1;
        if (reachable < majority) {
            waitFor("the Raft group is not changed to " + names + ": only " + reachable + " of its " + target.size()
                    + " nodes answer, fewer than the majority of " + majority + " it needs to commit");
            return;
        }
        try {
            RaftMembership.set(channel, target, joining, tls);
            LOG.info(() -> "Raft group changed from " + current.get() + " to " + names + " (consortium in force)");
            lastWait = "";
        } catch (IOException e) {
            waitFor("changing the Raft group to " + names + " failed, tried again in " + PERIOD_SECONDS + " s: "
                    + e.getMessage());
        }
    }

    private void waitFor(String reason) {
        if (!reason.equals(lastWait)) {
            lastWait = reason;
            LOG.warning(reason);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
