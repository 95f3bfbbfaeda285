/**
 * The in-process chaincode runtime: {@link dev.dossier.node.chaincode.ChaincodeRuntime} loads a Fabric Java contract
 * (from a jar or the node's class path) and simulates invocations against committed state through the node's own
 * {@code ChaincodeStub}, producing Fabric's response, read-write set ({@code kvrwset}) and chaincode event, as a
 * Fabric peer's endorser would. Committing is not done here: the read-write set goes into the endorsed transaction
 * and is validated (MVCC) and applied by the ledger.
 */
package dev.dossier.node.chaincode;
