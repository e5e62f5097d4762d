import { useEffect, useState } from 'react';

/**
 * Copies `value` to the clipboard and says so in a live region. The clipboard
 * is refused outside a secure context or without the page's focus; the value
 * is then on screen to copy by hand, which is what the message says.
 */
export function CopyButton({
  value,
  label,
  name,
}: {
  value: string;
  label: string;
  /** An accessible name that starts with `label` and says what is copied, when a page has several. */ name?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    // Undefined outside a secure context, whatever the DOM types say.
    if (!navigator.clipboard) return setState('failed');
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <span className="copy-button">
      <button type="button" onClick={copy} aria-label={name}>
        {label}
      </button>
      <span className="muted" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy it by hand: the browser refused the clipboard' : ''}
      </span>
    </span>
  );
}
