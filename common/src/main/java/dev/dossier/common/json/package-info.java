/**
 * JSON without a library, for the chaincode (which must stay light to run as a chaincode server) and whoever reads
 * what it writes: a strict RFC 8259 reader and a deterministic writer with sorted members.
 */
package dev.dossier.common.json;
