/**
 * Consortium configuration: the channel, the chaincode, and each organisation's MSP, nodes and users, read from a
 * {@code consortium.yaml} ({@link dev.dossier.node.config.Consortium}), and generation of a complete local consortium
 * with its keys and certificates, laid out as Fabric's {@code cryptogen} lays out its output ({@link
 * dev.dossier.node.config.CryptoGen}).
 */
package dev.dossier.node.config;
