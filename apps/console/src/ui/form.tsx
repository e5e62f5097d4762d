import { useId, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { ErrorNotice } from './feedback';

/**
 * A labelled input with its hint and, when the API refused the form, the rule
 * it named for this field (`error.issueFor(name)`), tied to the input for
 * screen readers.
 */
export function Field({
  label,
  hint,
  error,
  name,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: unknown;
  /** The field as the API names it in `issues` (e.g. `url`, `rateLimit.perSecond`). */
  name?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const rule = name && error instanceof ApiError ? error.issueFor(name) : undefined;
  const described = [hint ? `${id}-hint` : null, rule ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${rule ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': rule ? true : undefined })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {rule && (
        <small id={`${id}-error`} className="field-error">
          {rule}
        </small>
      )}
    </div>
  );
}

/**
 * A form's end: why the API refused it (when it did), the submit button
 * (`busyLabel` while it is sent) and Cancel.
 */
export function FormActions({
  submitLabel,
  busyLabel = 'Saving…',
  pending,
  onCancel,
  error,
  errorTitle,
  lockCancel,
}: {
  submitLabel: string;
  busyLabel?: string;
  pending: boolean;
  onCancel: () => void;
  /** Shown above the buttons unless null or undefined. */
  error: unknown;
  errorTitle: string;
  /** Cancel too is disabled while the form is sent. */
  lockCancel?: boolean;
}) {
  return (
    <>
      {error !== null && error !== undefined && <ErrorNotice error={error} title={errorTitle} />}
      <div className="row">
        <button type="submit" className="primary" disabled={pending}>
          {pending ? busyLabel : submitLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={lockCancel && pending}>
          Cancel
        </button>
      </div>
    </>
  );
}
