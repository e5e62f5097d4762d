import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** A region that is loading: announced to screen readers, shown as a line of text. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** An error from the API (its message and each field's rule) or from anywhere else, with a way to try again. */
export function ErrorNotice({ error, retry, title = 'Something went wrong' }: { error: unknown; retry?: () => void; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <strong>{apiError?.status === 403 ? 'Not allowed with this API key' : title}</strong>
      <p>{message}</p>
      {apiError && apiError.issues.length > 0 && (
        <ul>
          {apiError.issues.map((i) => (
            <li key={`${i.field}:${i.rule}`}>
              <code>{i.field}</code>: {i.rule}
            </li>
          ))}
        </ul>
      )}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What a list shows when it has nothing yet: what it is for, and the next step. */
export function EmptyState({ title, children, action, level = 2 }: { title: string; children?: ReactNode; action?: ReactNode; level?: 2 | 3 | 4 }) {
  const Heading = `h${level}` as const;
  return (
    <div className="empty">
      <Heading>{title}</Heading>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'info' ? 'status' : 'alert'}>
      {children}
    </div>
  );
}

/** The primary button that opens a "New …" form (in a page's header, and in its empty list). */
export function NewButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="primary" onClick={onClick}>
      {label}
    </button>
  );
}
