/**
 * Chaincode as a service: {@link dev.dossier.chaincode.ccaas.Server} runs the contracts of the chaincode jar
 * ({@code NotaryContract}) as a gRPC server that a Hyperledger Fabric peer connects to through its {@code ccaas}
 * external builder, configured from the environment variables fabric-samples' chaincode servers use. The node never
 * uses this package: it runs the same contracts in-process.
 */
package dev.dossier.chaincode.ccaas;
