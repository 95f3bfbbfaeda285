package dev.dossier.node.ledger;

import java.util.OptionalLong;

/** The first problem a {@link LedgerAudit} finds; it ends the audit and becomes the {@link AuditReport}. */
final class AuditProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final OptionalLong block;

    private AuditProblem(OptionalLong block, String message) {
        super(message, null, false, false);
        this.block = block;
    }

    /** A problem of block {@code block}; the message is prefixed with the block's number. */
    static AuditProblem inBlock(long block, String message) {
        return new AuditProblem(OptionalLong.of(block), "block " + block + ": " + message);
    }

    /** A problem that no block can be blamed for, such as a world-state entry no transaction wrote. */
    static AuditProblem outsideBlocks(String message) {
        return new AuditProblem(OptionalLong.empty(), message);
    }

    /** @return the block the problem is pinned to, or empty */
    OptionalLong block() {
        return block;
    }
}
