/**
 * The node's HTTP API ({@link dev.dossier.node.http.HttpApi}), on Jetty behind the JDK's {@code com.sun.net.httpserver}
 * interface ({@link dev.dossier.node.http.GuardedServer}, under {@link dev.dossier.node.http.HttpLimits}): receipts
 * and current status of anchored commitments, the consortium's trust file and latest cosigned checkpoint, checkpoint
 * cosigning between the nodes, health and Prometheus metrics, and the inspector's verify page (static files under
 * {@code web/}). Its OpenAPI 3.1 description is the resource {@code openapi.json} of this package, served at
 * {@code /openapi.json}.
 */
package dev.dossier.node.http;
