/**
 * The commit-time rules: who may create and endorse a transaction, and which endorsements it needs for the keys it
 * writes, checked by every node when it commits, from the identities in force, the write set, the endorsements and the
 * state, never from the function the submitter names.
 *
 * <ul>
 *   <li>{@link dev.dossier.node.validation.TransactionIdentities}: the creator and every endorser valid identities of
 *       the consortium in force, at least one endorser a node of it; checked within the full validation, and again at
 *       commit by a node that orders alone.
 *   <li>{@link dev.dossier.node.validation.SignaturePolicies}: Fabric's signature policies (key-level endorsement
 *       policies, {@code common.SignaturePolicyEnvelope}) evaluated against a transaction's endorsers.
 *   <li>{@link dev.dossier.node.validation.WriteRules}: per written key, its key-level policy if it has one; for a key
 *       without one, the notary namespace's creation rule ({@link dev.dossier.node.validation.NotaryRule}) or else the
 *       chaincode-level policy, a strict majority of the consortium's organisations.
 * </ul>
 */
package dev.dossier.node.validation;
