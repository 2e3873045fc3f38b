/**
 * A modal panel over the app: a title, a close button, and its content.
 * Escape or a click on the backdrop closes it; it takes the focus when it
 * opens and gives it back when it closes.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import './Dialog.css';

export interface DialogProps {
  testId: string;
  title: string;
  onClose: () => void;
  children: ReactNode;
}

export function Dialog({ testId, title, onClose, children }: DialogProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      before?.focus();
    };
  }, [onClose]);
  return (
    <div
      className="hs-dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div
        ref={panel}
        className="hs-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        tabIndex={-1}
      >
        <header className="hs-dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="hs-dialog-close"
            aria-label="Close"
            data-testid="dialog-close"
            onClick={onClose}
          >
            ×
          </button>
        </header>
        <div className="hs-dialog-body">{children}</div>
      </div>
    </div>
  );
}
