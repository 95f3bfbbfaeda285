package dev.dossier.client;

import dev.dossier.common.verdict.Verdict;

/** Thrown by {@link Verification#requireValid()} when the verdict is not {@link Verdict#VALID}. */
public class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Verification verification;

    public VerificationException(Verification verification) {
        super(verification.status() + ": " + verification.reason());
        this.verification = verification;
    }

    /** @return the verification that failed */
    public Verification verification() {
        return verification;
    }
}
