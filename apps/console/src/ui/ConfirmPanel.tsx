import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ErrorNotice } from './feedback';

/**
 * An inline, non-modal confirmation: what will happen, any extra input, and
 * the two answers. It takes the focus when it opens so a keyboard user lands
 * on it, and Escape cancels.
 */
export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  danger,
  id,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  busy?: boolean;
  danger?: boolean;
  id?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      id={id}
      ref={ref}
      className="panel confirm-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p id={titleId} className="confirm-panel-title">
        {title}
      </p>
      {children}
      <div className="row">
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * The panel that asks before deleting a thing for good: a heading naming it,
 * what deleting it does, why the API refused (when it did), and the two answers.
 */
export function DeletePanel({
  id,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  pending,
  error,
  errorTitle,
}: {
  /** The heading's id. */
  id: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending: boolean;
  /** Shown unless null or undefined. */
  error: unknown;
  errorTitle: string;
}) {
  return (
    <section className="panel danger-panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
      {error !== null && error !== undefined && <ErrorNotice error={error} title={errorTitle} />}
      <div className="row">
        <button type="button" className="danger" onClick={onConfirm} disabled={pending}>
          {pending ? 'Deleting…' : confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/**
 * Deleting a thing shown on its own page: on success its list's queries are
 * dropped (rather than marked stale, so the list never shows the deleted one
 * while it reloads) and the list opens.
 */
export function useDeleteAndLeave(remove: () => Promise<unknown>, listKey: QueryKey, listPath: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: remove,
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: listKey });
      void navigate(listPath);
    },
  });
}
