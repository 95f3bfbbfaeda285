/**
 * The consortium on the ledger: the document the genesis block starts with and votes change ({@code
 * ConsortiumDocument}), the node-built-in system namespace that counts the votes and is judged again at commit on
 * every node ({@code ConsortiumChanges}), and what a node applies when a change commits ({@code ConsortiumInForce}).
 */
package dev.dossier.node.consortium;
