package dev.dossier.common.note;

/** A note or checkpoint that is malformed or whose signatures do not verify; the message says which. */
public final class NoteException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoteException(String message) {
        super(message);
    }

    public NoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
