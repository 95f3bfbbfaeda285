/**
 * Programs on top of the client library, kept out of its jar: {@link dev.dossier.tools.Demo} (the first step of
 * {@code scripts/dossier demo}), and the benchmarks {@link dev.dossier.tools.TxBench} (single-record transactions),
 * {@link dev.dossier.tools.VerifyBench} (an inspector's lookups) and {@link dev.dossier.tools.BulkBench} (the bulk
 * pipeline against PostgreSQL, or alone). {@code scripts/dossier} runs them; {@code docs/benchmarks.md} has what they
 * measured.
 */
package dev.dossier.tools;
