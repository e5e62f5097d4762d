import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { Field, FormActions } from '../../ui/form';
import { PROVIDER_ORDER, PROVIDERS, type Provider, type Source, type SourceBody } from './providers';

/** Generic HMAC's settings as typed; empty means "the API's default" or "not used". */
interface HmacDraft {
  signatureHeader: string;
  prefix: string;
  algorithm: string;
  encoding: string;
  signedContent: string;
  timestampHeader: string;
  toleranceSeconds: string;
  idHeader: string;
  idField: string;
  typeField: string;
}

export interface SourceDraft {
  provider: Provider;
  name: string;
  /** The secret or the public key, whichever the provider signs with. */
  key: string;
  verifyToken: string;
  /** Other providers' options, as JSON. */
  options: string;
  hmac: HmacDraft;
  eventTypePrefix: string;
  enabled: boolean;
  storeBodies: boolean;
}

const HMAC_DEFAULTS: HmacDraft = {
  signatureHeader: '',
  prefix: '',
  algorithm: 'sha256',
  encoding: 'hex',
  signedContent: '{body}',
  timestampHeader: '',
  toleranceSeconds: '300',
  idHeader: '',
  idField: '',
  typeField: '',
};

export function draftOf(source?: Source): SourceDraft {
  const options = (source?.options ?? {}) as Record<string, unknown>;
  const provider = (source?.provider ?? 'stripe') as Provider;
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    provider,
    name: source?.name ?? '',
    key: source?.publicKey ?? '',
    verifyToken: provider === 'meta_whatsapp' ? text(options.verifyToken) : '',
    options: PROVIDERS[provider].options && Object.keys(options).length > 0 ? JSON.stringify(options, null, 2) : '',
    hmac:
      provider === 'generic_hmac'
        ? (Object.fromEntries(Object.entries(HMAC_DEFAULTS).map(([k, d]) => [k, k in options ? text(options[k]) : d])) as unknown as HmacDraft)
        : HMAC_DEFAULTS,
    eventTypePrefix: source?.eventTypePrefix ?? '',
    enabled: source?.enabled ?? true,
    storeBodies: source?.storeBodies ?? false,
  };
}

/** The whole source as POST and PUT take it. An empty secret is left out, which on PUT keeps the current one. */
export function bodyOf(draft: SourceDraft): SourceBody {
  const info = PROVIDERS[draft.provider];
  const key = draft.key.trim();
  return {
    provider: draft.provider,
    name: draft.name.trim(),
    ...(info.key === 'secret' && key ? { secret: key } : {}),
    ...(info.key === 'publicKey' && key ? { publicKey: key } : {}),
    options: optionsOf(draft),
    ...(draft.eventTypePrefix.trim() ? { eventTypePrefix: draft.eventTypePrefix.trim() } : {}),
    enabled: draft.enabled,
    storeBodies: draft.storeBodies,
  };
}

function optionsOf(draft: SourceDraft): Record<string, unknown> {
  if (draft.provider === 'meta_whatsapp') return draft.verifyToken ? { verifyToken: draft.verifyToken } : {};
  if (draft.provider === 'generic_hmac') {
    const { toleranceSeconds, ...rest } = draft.hmac;
    const options: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v.trim() !== ''));
    if (toleranceSeconds.trim()) options.toleranceSeconds = Number(toleranceSeconds);
    return options;
  }
  if (!draft.options.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(draft.options);
  } catch (error) {
    const rule = `is not valid JSON (${(error as Error).message})`;
    throw new ApiError(400, 'invalid_json', `options: ${rule}`, [{ field: 'options', rule }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError(400, 'invalid_json', 'options: must be a JSON object', [{ field: 'options', rule: 'must be a JSON object' }]);
  }
  return parsed as Record<string, unknown>;
}

/** Creating and editing a source: the key's label, hint and extra settings follow the provider. */
export function SourceForm({
  initial,
  hasSecret = false,
  title,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: SourceDraft;
  /** Editing a source whose secret is set: an empty secret keeps it. */
  hasSecret?: boolean;
  title: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (draft: SourceDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof SourceDraft>(key: K, value: SourceDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  // Options belong to one provider: another provider starts from its own defaults.
  const setProvider = (provider: Provider) => setDraft((d) => ({ ...d, provider, key: '', verifyToken: '', options: '', hmac: HMAC_DEFAULTS }));
  const info = PROVIDERS[draft.provider];
  const keepsSecret = hasSecret && draft.provider === initial.provider;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  return (
    <form className="panel inbound-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="form-fields">
        <Field label="Provider" name="provider" error={error} hint={info.verifies}>
          {(p) => (
            <select {...p} value={draft.provider} onChange={(e) => setProvider(e.target.value as Provider)}>
              {PROVIDER_ORDER.map((provider) => (
                <option key={provider} value={provider}>
                  {PROVIDERS[provider].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name" name="name" error={error} hint="Yours to choose, unique in the tenant, e.g. Stripe (live).">
          {(p) => <input {...p} value={draft.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" />}
        </Field>
      </div>
      {info.key === 'secret' && (
        <Field
          label={info.keyLabel}
          name="secret"
          error={error}
          hint={keepsSecret ? `A secret is set and never shown: leave empty to keep it. ${info.keyHint}` : info.keyHint}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={draft.key}
              onChange={(e) => set('key', e.target.value)}
              placeholder={keepsSecret ? 'unchanged' : info.placeholder}
            />
          )}
        </Field>
      )}
      {info.key === 'publicKey' && (
        // A public key is no secret (the API shows it back), and a PEM spans lines: a textarea, not a password input.
        <Field label={info.keyLabel} name="publicKey" error={error} hint={info.keyHint}>
          {(p) => <textarea {...p} rows={4} spellCheck={false} value={draft.key} onChange={(e) => set('key', e.target.value)} />}
        </Field>
      )}
      {info.key === 'none' && <p className="muted">{info.label} needs no key here: each message is verified with Amazon’s signing certificate.</p>}
      {draft.provider === 'meta_whatsapp' && (
        <Field
          label="Verify token"
          name="options.verifyToken"
          error={error}
          hint="Yours to choose: enter the same token beside the callback URL in the Meta app dashboard; Meta sends it back in its GET handshake."
        >
          {(p) => <input {...p} value={draft.verifyToken} onChange={(e) => set('verifyToken', e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      )}
      {draft.provider === 'generic_hmac' && <HmacSettings value={draft.hmac} onChange={(hmac) => set('hmac', hmac)} error={error} />}
      {info.options && (
        <Field label="Options (JSON, optional)" name="options" error={error} hint={`Accepted: ${info.options}. Empty: the defaults.`}>
          {(p) => <textarea {...p} rows={3} spellCheck={false} value={draft.options} onChange={(e) => set('options', e.target.value)} placeholder="{}" />}
        </Field>
      )}
      <Field
        label="Event type prefix"
        name="eventTypePrefix"
        error={error}
        hint={`Each callback becomes an event <prefix>.<kind>. Empty: inbound.${draft.provider}.`}
      >
        {(p) => (
          <input
            {...p}
            value={draft.eventTypePrefix}
            onChange={(e) => set('eventTypePrefix', e.target.value)}
            placeholder={`inbound.${draft.provider}`}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <label className="inbound-check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>
          Enabled <small className="muted">— off: its URL answers 410 and no event is made</small>
        </span>
      </label>
      <label className="inbound-check">
        <input type="checkbox" checked={draft.storeBodies} onChange={(e) => set('storeBodies', e.target.checked)} />
        <span>
          Keep request bodies in the inbound log <small className="muted">— off: only their size; bodies may hold personal data</small>
        </span>
      </label>
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} error={error} errorTitle="The source was not saved" />
    </form>
  );
}

/** How a provider Hookline has no module for signs its requests. */
function HmacSettings({ value, onChange, error }: { value: HmacDraft; onChange: (v: HmacDraft) => void; error: unknown }) {
  const text = (key: keyof HmacDraft, label: string, hint: string, placeholder?: string) => (
    <Field label={label} name={`options.${key}`} error={error} hint={hint}>
      {(p) => (
        <input
          {...p}
          value={value[key]}
          onChange={(e) => onChange({ ...value, [key]: e.target.value })}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
        />
      )}
    </Field>
  );
  return (
    <fieldset>
      <legend>Signature settings</legend>
      <div className="form-fields">
        {text('signatureHeader', 'Signature header', 'The header carrying the signature.', 'X-Signature')}
        {text('prefix', 'Signature prefix', 'Text before the HMAC in that header, if any, e.g. sha256=.', 'sha256=')}
        <Field label="Algorithm" name="options.algorithm" error={error}>
          {(p) => (
            <select {...p} value={value.algorithm} onChange={(e) => onChange({ ...value, algorithm: e.target.value })}>
              <option value="sha1">HMAC-SHA1</option>
              <option value="sha256">HMAC-SHA256</option>
              <option value="sha512">HMAC-SHA512</option>
            </select>
          )}
        </Field>
        <Field label="Encoding" name="options.encoding" error={error}>
          {(p) => (
            <select {...p} value={value.encoding} onChange={(e) => onChange({ ...value, encoding: e.target.value })}>
              <option value="hex">hex</option>
              <option value="base64">base64</option>
            </select>
          )}
        </Field>
      </div>
      {text(
        'signedContent',
        'Signed content',
        'What is signed: a template of {body} (required), {timestamp}, {url} and {id}, e.g. {timestamp}.{body}.',
        '{body}',
      )}
      <div className="form-fields">
        {text('timestampHeader', 'Timestamp header', 'Optional: a header of Unix seconds; the signed content must then include {timestamp}.', 'X-Timestamp')}
        <Field label="Timestamp tolerance (seconds)" name="options.toleranceSeconds" error={error} hint="How old a signed timestamp may be, 1-86400.">
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={86400}
              inputMode="numeric"
              value={value.toleranceSeconds}
              onChange={(e) => onChange({ ...value, toleranceSeconds: e.target.value })}
            />
          )}
        </Field>
        {text('idHeader', 'Event id header', 'Optional: the header naming each callback, so a retry is not a second event.', 'X-Event-Id')}
        {text('idField', 'Event id field', 'Optional, instead: the dotted path of the id in the JSON body.', 'id')}
        {text('typeField', 'Event kind field', 'Optional: the dotted path of the kind in the body; without it, events are <prefix>.event.', 'type')}
      </div>
    </fieldset>
  );
}
