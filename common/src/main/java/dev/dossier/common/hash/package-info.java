/** SHA-256 for every module: {@link dev.dossier.common.hash.Sha256}. */
package dev.dossier.common.hash;
