/**
 * The Dossier client: {@link dev.dossier.client.Dossier} anchors training records and documents (one at a time or in
 * bulk, with receipts, an error report and a journal to resume from), verifies them and revokes or supersedes them,
 * through the official fabric-gateway client against a Dossier node or a Hyperledger Fabric peer;
 * {@link dev.dossier.client.Connections} opens gateways from a user's MSP folder. Records are in
 * {@code dev.dossier.client.record}, the encoding contracts (canonical JSON, salts, commitments, pseudonyms) in
 * {@code dev.dossier.client.digest}, the {@code dossier anchor} and {@code dossier verify} commands in
 * {@code dev.dossier.client.cli}.
 */
package dev.dossier.client;
