import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

export interface ModalProps {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  tone?: 'default' | 'danger' | 'live';
  'data-testid'?: string;
}

/**
 * A modal dialog on the platform's `<dialog>`: opened with `showModal()`, so the rest of the window
 * is inert and Tab stays inside it; Escape (the dialog's `cancel`) or a click on the backdrop
 * closes it; focus moves to its first field or button when it opens and back where it was when it
 * closes.
 */
export function Modal(props: ModalProps) {
  return props.open ? <OpenModal {...props} /> : null;
}

function OpenModal({ title, onClose, children, footer, tone = 'default', ...rest }: ModalProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    const first = el.querySelector<HTMLElement>('input, select, textarea, button:not([data-close])');
    (first ?? el).focus();
    return () => {
      if (el.open) el.close();
      previous?.focus();
    };
  }, []);

  // The backdrop click is the mouse's twin of Escape (onCancel), not a control of its own.
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <dialog
      ref={dialog}
      className={`modal modal-${tone}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      data-testid={rest['data-testid']}
    >
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" data-close onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="modal-body">{children}</div>
      {footer !== undefined && <footer className="modal-footer">{footer}</footer>}
    </dialog>
  );
}
