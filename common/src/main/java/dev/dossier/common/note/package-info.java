/**
 * C2SP signed notes (c2sp.org/signed-note) and transparency-log checkpoints (c2sp.org/tlog-checkpoint): the text
 * format, parsing, and verification of ECDSA P-256 signature lines (signature type 0x02) with the JDK alone, so a
 * receipt's checkpoint can be checked offline against pinned consortium keys.
 */
package dev.dossier.common.note;
