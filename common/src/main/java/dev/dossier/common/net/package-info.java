/** Where a node is reached: the rule that puts a node's HTTP API beside its gateway. */
package dev.dossier.common.net;
