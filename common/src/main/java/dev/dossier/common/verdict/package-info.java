/** The verdict every verifier of a card or a credential gives, shared by the client, the node and the tools. */
package dev.dossier.common.verdict;
