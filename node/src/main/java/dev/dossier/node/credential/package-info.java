/**
 * What a node serves for Verifiable Credentials ({@code docs/credentials.md}): the Bitstring Status Lists built from
 * its ledger's revocations and signed with its checkpoint key ({@link StatusLists}), and the {@code did:web} controller
 * documents of the node and of the consortium's organisations ({@link ControllerDocuments}).
 */
package dev.dossier.node.credential;
