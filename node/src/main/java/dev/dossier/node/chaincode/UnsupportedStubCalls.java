package dev.dossier.node.chaincode;

import java.util.List;
import org.hyperledger.fabric.shim.Chaincode;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * The part of Fabric's {@link ChaincodeStub} the node does not support: private data, rich (CouchDB) queries and
 * chaincode-to-chaincode calls. Each throws {@link UnsupportedOperationException} naming the function, so a contract
 * that uses one fails with a message that says why.
 */
abstract class UnsupportedStubCalls implements ChaincodeStub {

    @Override
    public Chaincode.Response invokeChaincode(String chaincodeName, List<byte[]> args, String channel) {
        throw unsupported("invokeChaincode", "chaincode-to-chaincode invocation is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getQueryResult(String query) {
        throw unsupported("getQueryResult", "rich queries (CouchDB) are");
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(
            String query, int pageSize, String bookmark) {
        throw unsupported("getQueryResultWithPagination", "rich queries (CouchDB) are");
    }

    @Override
    public byte[] getPrivateData(String collection, String key) {
        throw unsupported("getPrivateData", "private data is");
    }

    @Override
    public byte[] getPrivateDataHash(String collection, String key) {
        throw unsupported("getPrivateDataHash", "private data is");
    }

    @Override
    public byte[] getPrivateDataValidationParameter(String collection, String key) {
        throw unsupported("getPrivateDataValidationParameter", "private data is");
    }

    @Override
    public void putPrivateData(String collection, String key, byte[] value) {
        throw unsupported("putPrivateData", "private data is");
    }

    @Override
    public void setPrivateDataValidationParameter(String collection, String key, byte[] value) {
        throw unsupported("setPrivateDataValidationParameter", "private data is");
    }

    @Override
    public void delPrivateData(String collection, String key) {
        throw unsupported("delPrivateData", "private data is");
    }

    @Override
    public void purgePrivateData(String collection, String key) {
        throw unsupported("purgePrivateData", "private data is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByRange(String collection, String startKey, String endKey) {
        throw unsupported("getPrivateDataByRange", "private data is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(String collection, String compositeKey) {
        throw unsupported("getPrivateDataByPartialCompositeKey", "private data is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
            String collection, CompositeKey compositeKey) {
        throw unsupported("getPrivateDataByPartialCompositeKey", "private data is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(
            String collection, String objectType, String... attributes) {
        throw unsupported("getPrivateDataByPartialCompositeKey", "private data is");
    }

    @Override
    public QueryResultsIterator<KeyValue> getPrivateDataQueryResult(String collection, String query) {
        throw unsupported("getPrivateDataQueryResult", "private data is");
    }

    private static UnsupportedOperationException unsupported(String function, String feature) {
        return new UnsupportedOperationException(function + ": " + feature + " not supported by the Dossier node");
    }
}
