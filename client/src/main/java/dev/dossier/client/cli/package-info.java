/** The {@code dossier anchor} and {@code dossier verify} commands (picocli), run by {@code scripts/dossier}. */
package dev.dossier.client.cli;
