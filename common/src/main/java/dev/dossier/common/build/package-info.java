/** Facts about the build itself, such as the project version the {@code --version} of every command prints. */
package dev.dossier.common.build;
