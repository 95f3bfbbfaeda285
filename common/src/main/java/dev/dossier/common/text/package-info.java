/** Text decoding shared by every module: strict UTF-8 that refuses malformed bytes instead of replacing them. */
package dev.dossier.common.text;
