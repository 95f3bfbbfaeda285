/**
 * Split-view detection for a verifier, after C2SP tlog-witness: remember the latest checkpoint of a log that was
 * accepted, and accept another checkpoint of that log only when an RFC 9162 consistency proof shows that one tree is a
 * prefix of the other. Two signed checkpoints that fail this are evidence that the log showed different histories to
 * different verifiers (a split view). {@link dev.dossier.common.witness.Witness#check} is the rule; where checkpoints
 * are remembered (a file, browser storage) is the caller's concern.
 */
package dev.dossier.common.witness;
