import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { Field } from '../../ui/form';
import { CopyButton } from '../../ui/CopyButton';

/**
 * The API gives each source's path on ingest, not ingest's public address
 * (a deployment may put ingest anywhere), so the console assumes ingest's
 * port on the console's own host and lets the reader correct it; this
 * browser remembers the correction. It is no secret, hence local storage.
 */
const STORAGE = 'hookline.console.ingestAddress';
const listeners = new Set<() => void>();

function defaultAddress(): string {
  return `${window.location.protocol}//${window.location.hostname}:3001`;
}

function readAddress(): string {
  try {
    return localStorage.getItem(STORAGE) || defaultAddress();
  } catch {
    return defaultAddress();
  }
}

function saveAddress(address: string): void {
  try {
    if (address) localStorage.setItem(STORAGE, address);
    else localStorage.removeItem(STORAGE);
  } catch {
    // Storage refused (private mode): the address holds for this page only.
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useIngestAddress(): string {
  return useSyncExternalStore(subscribe, readAddress);
}

/** The URL a provider is to call: ingest's address and the source's path, with a copy button. */
export function InboundUrl({ path, copyName }: { path: string; copyName?: string }) {
  const url = `${useIngestAddress().replace(/\/+$/, '')}${path}`;
  return (
    <span className="inbound-url">
      <code>{url}</code>
      <CopyButton value={url} label="Copy URL" name={copyName} />
    </span>
  );
}

/** Where the reader says ingest is reached, when the guess (this host, port 3001) is wrong. */
export function IngestAddressSetting() {
  const current = useIngestAddress();
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = value.trim().replace(/\/+$/, '');
    if (trimmed && !/^https?:\/\/[^/\s]+$/.test(trimmed)) {
      setError('must be an origin like https://hooks.example.com (no path)');
      return;
    }
    setError(null);
    saveAddress(trimmed === defaultAddress() ? '' : trimmed);
    setValue(trimmed || defaultAddress());
  };
  return (
    <details className="inbound-address">
      <summary>
        Inbound URLs start with <code>{current}</code>: change
      </summary>
      <form onSubmit={submit} noValidate>
        <Field
          label="Ingest address"
          hint="Where providers reach Hookline's ingest service: in production its public HTTPS origin (HOOKLINE_INBOUND_BASE_URL). Empty: this host, port 3001. Remembered in this browser."
        >
          {(p) => (
            <input
              {...p}
              type="url"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-errormessage={error ? 'inbound-address-error' : undefined}
            />
          )}
        </Field>
        {error && (
          <p id="inbound-address-error" className="field-error">
            {error}
          </p>
        )}
        <button type="submit">Save address</button>
      </form>
    </details>
  );
}
