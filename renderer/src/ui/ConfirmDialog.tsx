import { useEffect, useId, useRef, type ReactNode } from 'react';
import './ui.css';

export interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  /** red confirm button, for deleting */
  isDestructive?: boolean;
  /** disables both buttons while the confirmed action runs */
  isBusy?: boolean;
  /** shown under the text when the confirmed action failed */
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal question with two answers, on the native <dialog> (showModal): focus moves into it and
 * stays there, the page behind is inert, Escape cancels, and focus returns to where it was.
 * Focus starts on the cancel button, so a stray Enter never confirms a submit or a delete.
 */
export function ConfirmDialog({ isOpen, title, children, confirmLabel, cancelLabel, isDestructive = false, isBusy = false, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!isOpen && dialog.open) {
      dialog.close();
    }
  }, [isOpen]);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        // Escape: let React state decide, so the dialog and the state never disagree
        event.preventDefault();
        if (!isBusy) onCancel();
      }}
      onClose={() => {
        // closed by the browser anyway (a repeated Escape cannot be held back): follow it
        if (isOpen) onCancel();
      }}
    >
      <h2 className="dialog__title" id={titleId}>
        {title}
      </h2>
      <div className="dialog__body" id={bodyId}>
        {children}
      </div>
      {error && (
        <p className="dialog__error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" ref={cancelRef} className="button button--large" onClick={onCancel} disabled={isBusy}>
          {cancelLabel}
        </button>
        <button type="button" className={`button button--large ${isDestructive ? 'button--danger' : 'button--primary'}`} onClick={onConfirm} disabled={isBusy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
