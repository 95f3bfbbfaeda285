/**
 * The Dossier client: connects to a Dossier node (or a Hyperledger Fabric peer) through the official fabric-gateway
 * client and anchors and verifies commitments of training records.
 */
package dev.dossier.client;
