package dev.dossier.node.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Builds real Fabric envelopes and read-write sets for the ledger tests. */
final class TestTxs {
    static final String CHANNEL = "dossier";
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private TestTxs() {}

    static Envelope configEnvelope(String txId) {
        return envelope(HeaderType.CONFIG, txId, ByteString.copyFromUtf8("config"), T0);
    }

    /** An endorser transaction envelope whose ChaincodeAction.results carry {@code rwset}, at {@link #T0}. */
    static Envelope endorserEnvelope(String txId, TxReadWriteSet rwset) {
        return endorserEnvelope(txId, rwset, T0);
    }

    /** As {@link #endorserEnvelope(String, TxReadWriteSet)}, its channel header's timestamp {@code time}. */
    static Envelope endorserEnvelope(String txId, TxReadWriteSet rwset, Instant time) {
        ChaincodeAction action =
                ChaincodeAction.newBuilder().setResults(rwset.toByteString()).build();
        ProposalResponsePayload response = ProposalResponsePayload.newBuilder()
                .setProposalHash(ByteString.copyFrom(new byte[32]))
                .setExtension(action.toByteString())
                .build();
        ChaincodeActionPayload actionPayload = ChaincodeActionPayload.newBuilder()
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(response.toByteString()))
                .build();
        Transaction transaction = Transaction.newBuilder()
                .addActions(TransactionAction.newBuilder().setPayload(actionPayload.toByteString()))
                .build();
        return envelope(HeaderType.ENDORSER_TRANSACTION, txId, transaction.toByteString(), time);
    }

    private static Envelope envelope(HeaderType type, String txId, ByteString data, Instant time) {
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(type.getNumber())
                .setChannelId(CHANNEL)
                .setTxId(txId)
                .setTimestamp(
                        Timestamp.newBuilder().setSeconds(time.getEpochSecond()).setNanos(time.getNano()))
                .build();
        Payload payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()))
                .setData(data)
                .build();
        return Envelope.newBuilder()
                .setPayload(payload.toByteString())
                .setSignature(ByteString.copyFromUtf8("signature of " + txId))
                .build();
    }

    /** @return the ledger in {@code dir}, opened, with the genesis block of config tx {@code genesis} committed */
    static Ledger openWithGenesis(Path dir) throws LedgerException {
        Ledger ledger = Ledger.open(dir);
        ledger.commitGenesis(configEnvelope("genesis"));
        return ledger;
    }

    static PendingTx valid(String txId, RwSet rwset) {
        return valid(txId, rwset, T0);
    }

    /** A VALID transaction whose channel header's timestamp is {@code time}. */
    static PendingTx valid(String txId, RwSet rwset, Instant time) {
        TxReadWriteSet set = rwset.build();
        return new PendingTx(
                txId, endorserEnvelope(txId, set, time), TxValidationCode.VALID, set, WriteCheck.UNCHECKED);
    }

    static PendingTx prechecked(String txId, RwSet rwset, TxValidationCode code) {
        return new PendingTx(txId, endorserEnvelope(txId, rwset.build()), code, null, WriteCheck.UNCHECKED);
    }

    static Version version(long block, long tx) {
        return Version.newBuilder().setBlockNum(block).setTxNum(tx).build();
    }

    static KVRead read(String key, Version version) {
        KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (version != null) {
            read.setVersion(version);
        }
        return read.build();
    }

    static RwSet rw() {
        return new RwSet();
    }

    /** A fluent read-write set builder; {@link #ns} selects the namespace the next calls add to. */
    static final class RwSet {
        private final Map<String, KVRWSet.Builder> sets = new LinkedHashMap<>();
        private String current = "cc";

        RwSet ns(String namespace) {
            current = namespace;
            return this;
        }

        private KVRWSet.Builder set() {
            return sets.computeIfAbsent(current, n -> KVRWSet.newBuilder());
        }

        RwSet read(String key, Version version) {
            set().addReads(TestTxs.read(key, version));
            return this;
        }

        RwSet write(String key, String value) {
            set().addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)));
            return this;
        }

        /** A metadata write giving {@code key} the one entry {@code name} = {@code value}. */
        RwSet metadata(String key, String name, String value) {
            set().addMetadataWrites(KVMetadataWrite.newBuilder()
                    .setKey(key)
                    .addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(ByteString.copyFromUtf8(value))));
            return this;
        }

        RwSet delete(String key) {
            set().addWrites(KVWrite.newBuilder().setKey(key).setIsDelete(true));
            return this;
        }

        RwSet range(String start, String end, boolean exhausted, KVRead... reads) {
            set().addRangeQueriesInfo(RangeQueryInfo.newBuilder()
                    .setStartKey(start)
                    .setEndKey(end)
                    .setItrExhausted(exhausted)
                    .setRawReads(QueryReads.newBuilder().addAllKvReads(List.of(reads))));
            return this;
        }

        RwSet merkleRange(String start, String end, QueryReadsMerkleSummary summary) {
            set().addRangeQueriesInfo(RangeQueryInfo.newBuilder()
                    .setStartKey(start)
                    .setEndKey(end)
                    .setItrExhausted(true)
                    .setReadsMerkleHashes(summary));
            return this;
        }

        TxReadWriteSet build() {
            List<NsReadWriteSet> namespaces = new ArrayList<>();
            sets.forEach((namespace, set) -> namespaces.add(NsReadWriteSet.newBuilder()
                    .setNamespace(namespace)
                    .setRwset(set.build().toByteString())
                    .build()));
            return TxReadWriteSet.newBuilder()
                    .setDataModel(TxReadWriteSet.DataModel.KV)
                    .addAllNsRwset(namespaces)
                    .build();
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
