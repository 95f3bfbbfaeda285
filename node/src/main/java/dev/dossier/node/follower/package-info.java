/**
 * A follower of a Hyperledger Fabric channel: a Dossier process with no ordering and no endorsing that pulls the
 * channel's blocks from a Fabric peer's Deliver service, checks them as a Fabric peer would (hash chain, data hash,
 * the orderer's signature, each VALID transaction's creator and endorsements against the consortium's write rules,
 * MVCC), stores them in the node's ledger and derives from them what a node derives (commitment log, revocation
 * index, cosigned checkpoints), served by the node's HTTP API.
 */
package dev.dossier.node.follower;
