/** Files written whole: {@link dev.dossier.common.file.AtomicFile} replaces a file's content all at once. */
package dev.dossier.common.file;
