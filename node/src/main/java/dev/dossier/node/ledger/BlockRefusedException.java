package dev.dossier.node.ledger;

/**
 * A block built elsewhere (a Fabric peer's, pulled by a follower) was refused by {@link Ledger#append}: it is not the
 * next block of the chain, or what its transactions filter claims does not hold. Nothing of it was written. The
 * message names the block and what is wrong with it.
 */
public final class BlockRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long block;
    private final String reason;

    /** @param block the number of the refused block; the message is prefixed with it */
    public BlockRefusedException(long block, String reason) {
        super("block " + Long.toUnsignedString(block) + " refused: " + reason);
        this.block = block;
        this.reason = reason;
    }

    /** @return what is wrong with the block, without its number */
    public String reason() {
        return reason;
    }

    /** @return the number of the refused block */
    public long block() {
        return block;
    }
}
