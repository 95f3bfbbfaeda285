package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The blocks of a followed channel: blocks another system ordered and validated (a Fabric peer's), which {@link
 * Ledger#append} stores as they are once it has re-derived what they claim. This class holds the rules such a block
 * is read by, shared with the audit ({@link ChainCheck}), and the replay of one block into a write batch.
 *
 * <ul>
 *   <li>the transactions filter is read as Fabric's block index reads it: an absent (empty) filter means every
 *       transaction VALID, which is how a Fabric peer stores the genesis block it joined with;
 *   <li>each transaction the filter marks VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT is replayed against the
 *       state: a VALID one must still validate and satisfy its {@link WriteCheck}, a conflict must fail the same way;
 *       other codes come from checks made before the state (signatures, policies) and are taken as they are;
 *   <li>a tx id seen before (in the ledger or earlier in the block) must not be VALID;
 *   <li>configuration transactions write no state; block 0 holds exactly one, VALID.
 * </ul>
 */
final class FollowedBlocks {
    /** The value of the ledger's {@code source} metadata once it follows another system's channel. */
    static final byte[] SOURCE = "followed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FollowedBlocks() {}

    /**
     * @return the block's validation codes, one per transaction (an empty filter: all VALID)
     * @throws IllegalArgumentException if the block has no filter entry, or the filter has the wrong length or an
     *     unknown code
     */
    static byte[] filter(Block block) {
        int count = block.getData().getDataCount();
        if (block.getMetadata().getMetadataCount() <= BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) {
            throw new IllegalArgumentException("has no transactions filter entry in its metadata");
        }
        ByteString stored = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
        byte[] filter = stored.isEmpty() ? new byte[count] : stored.toByteArray();
        if (stored.isEmpty()) {
            Arrays.fill(filter, (byte) TxValidationCode.VALID_VALUE);
        }
        if (filter.length != count) {
            throw new IllegalArgumentException(
                    "transactions filter has " + filter.length + " entries for " + count + " transactions");
        }
        for (int i = 0; i < filter.length; i++) {
            if (TxValidationCode.forNumber(filter[i] & 0xff) == null) {
                throw new IllegalArgumentException("tx " + i + ": unknown validation code " + (filter[i] & 0xff));
            }
        }
        return filter;
    }

    /** @return whether the code is one the state decides (so a replay must reach it again) */
    static boolean isStateCode(TxValidationCode code) {
        return code == TxValidationCode.VALID
                || code == TxValidationCode.MVCC_READ_CONFLICT
                || code == TxValidationCode.PHANTOM_READ_CONFLICT;
    }

    /** Where a replay reads the state and writes the block's changes. */
    record Target(RocksDB db, ColumnFamilyHandle state, ColumnFamilyHandle history, ColumnFamilyHandle txIndex) {}

    /**
     * Replays the block into {@code batch}: state and metadata of its VALID transactions, their history, and the tx
     * index entry of each first occurrence of a tx id.
     *
     * @throws BlockRefusedException if the block does not hold what its filter claims
     */
    static void replay(Block block, byte[] filter, List<WriteCheck> checks, Target target, WriteBatch batch)
            throws BlockRefusedException, RocksDBException {
        long number = block.getHeader().getNumber();
        BlockValidator validator = new BlockValidator(target.db(), target.state(), number);
        Set<String> blockTxIds = new HashSet<>();
        if (number == 0 && filter.length != 1) {
            throw new BlockRefusedException(number, "block 0 holds " + filter.length + " transactions, not one");
        }
        for (int i = 0; i < filter.length; i++) {
            TxValidationCode code = TxValidationCode.forNumber(filter[i] & 0xff);
            Envelope envelope;
            ChannelHeader header;
            try {
                envelope = Envelope.parseFrom(block.getData().getData(i));
                header = Envelopes.channelHeader(envelope);
            } catch (InvalidProtocolBufferException e) {
                if (code == TxValidationCode.VALID) {
                    throw new BlockRefusedException(number, "tx " + i + " is marked VALID but does not decode");
                }
                continue;
            }
            String txId = header.getTxId();
            String label = "tx " + i + (txId.isEmpty() ? "" : " (" + txId + ")");
            boolean seen = !txId.isEmpty()
                    && (blockTxIds.contains(txId) || target.db().get(target.txIndex(), Encoding.utf8(txId)) != null);
            if (seen && code == TxValidationCode.VALID) {
                throw new BlockRefusedException(number, label + " repeats an earlier tx id but is marked VALID");
            }
            if (!txId.isEmpty() && !seen) {
                blockTxIds.add(txId);
                batch.put(target.txIndex(), Encoding.utf8(txId), Encoding.txIndexValue(number, i, code));
            }
            if (number == 0) {
                if (header.getType() != HeaderType.CONFIG_VALUE || code != TxValidationCode.VALID) {
                    throw new BlockRefusedException(number, "block 0 must hold one VALID configuration transaction");
                }
                try {
                    GenesisState.apply(envelope, validator, batch, target.history());
                } catch (IllegalArgumentException e) {
                    throw new BlockRefusedException(number, e.getMessage());
                }
                continue;
            }
            if (seen || !isStateCode(code) || header.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
                continue; // configuration transactions and transactions refused before the state write nothing
            }
            try {
                // the key history reports this timestamp, read from the block
                Instant.ofEpochSecond(
                        header.getTimestamp().getSeconds(),
                        header.getTimestamp().getNanos());
            } catch (java.time.DateTimeException e) {
                throw new BlockRefusedException(number, label + ": its timestamp is out of range");
            }
            replayTransaction(number, i, label, envelope, code, checks.get(i), validator, target.history(), batch);
        }
        validator.writeUpdates(batch);
    }

    /**
     * Replays one transaction marked {@code code} (VALID or an MVCC conflict) against {@code validator}: its
     * read-write set must decode, re-validation must give {@code code} again, and a VALID one must pass {@code check};
     * then its writes apply and go to the key history. Shared by the ledger's {@link
     * Ledger#append} and its audit.
     *
     * @throws BlockRefusedException saying which of these fails
     */
    static void replayTransaction(
            long number,
            int txNumber,
            String label,
            Envelope envelope,
            TxValidationCode code,
            WriteCheck check,
            BlockValidator validator,
            ColumnFamilyHandle history,
            WriteBatch batch)
            throws BlockRefusedException, RocksDBException {
        List<BlockValidator.NsRwSet> rwset;
        try {
            rwset = BlockValidator.parse(Envelopes.readWriteSet(envelope));
        } catch (InvalidProtocolBufferException | BlockValidator.BadRwSetException e) {
            throw new BlockRefusedException(
                    number, label + ": marked " + code + " but its read-write set is unusable: " + e.getMessage());
        }
        TxValidationCode recomputed = validator.validate(rwset);
        if (recomputed != code) {
            throw new BlockRefusedException(
                    number, label + ": marked " + code + " but re-validation gives " + recomputed);
        }
        if (code != TxValidationCode.VALID) {
            return;
        }
        var violation = check.violation(BlockValidator.keyWrites(rwset), validator);
        if (violation.isPresent()) {
            throw new BlockRefusedException(number, label + ": marked VALID but " + violation.get());
        }
        KeyHistory.record(validator.apply(rwset, txNumber), number, txNumber, history, batch);
    }
}
