/**
 * The node's metrics: one Micrometer registry per node, scraped in Prometheus' text format by the HTTP API's {@code
 * /metrics}, with the JVM's and gRPC's standard meters and the node's own (ledger storage, Raft).
 */
package dev.dossier.node.metrics;
