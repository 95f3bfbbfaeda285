/**
 * The Dossier client library. {@link dev.dossier.client.Dossier} anchors training records and documents (one at a time,
 * or in bulk with receipts, an error report and a journal to resume from), verifies them
 * ({@link dev.dossier.client.Verification}) and revokes or supersedes them, through the official fabric-gateway client
 * against a Dossier node or a Hyperledger Fabric peer. Its rooms, each depending only on those after it:
 *
 * <ul>
 *   <li>{@code dev.dossier.client.cli}: the {@code dossier anchor}, {@code verify}, {@code certificate} and
 *       {@code sample-data} commands;
 *   <li>{@code dev.dossier.client.certificate}: the worker's certificate, its PDF and QR code;
 *   <li>this package: the API, {@link dev.dossier.client.AnchorReceipt}, {@link dev.dossier.client.LedgerEntry} and
 *       the verdicts;
 *   <li>{@code dev.dossier.client.bulk}: bulk anchoring, and {@link dev.dossier.client.bulk.Outcome};
 *   <li>{@code dev.dossier.client.transport}: connections, the notary contract's calls, the node's HTTP API,
 *       {@link dev.dossier.client.transport.DossierException};
 *   <li>{@code dev.dossier.client.record} (records: reading, validation, sample data) and
 *       {@code dev.dossier.client.digest} (canonical JSON, salts, commitments, pseudonyms).
 * </ul>
 */
package dev.dossier.client;
