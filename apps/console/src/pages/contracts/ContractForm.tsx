import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { Field, FormActions } from '../../ui/form';
import { JsonEditor } from '../../ui/JsonEditor';
import { METHODS, SCHEMES, parseJson, type Contract, type ContractBody, type Method, type Scheme } from './api';

/** The form as typed: schemas as JSON text, the timeout in seconds, roles comma-separated. */
export interface ContractDraft {
  name: string;
  description: string;
  url: string;
  method: Method;
  inputSchema: string;
  outputSchema: string;
  timeoutSeconds: string;
  allowedRoles: string;
  signatureSchemes: Scheme[];
}

const STARTER_SCHEMA = {
  type: 'object',
  required: ['ticketId'],
  properties: { ticketId: { type: 'string' } },
  additionalProperties: false,
};

export function draftOf(contract?: Contract): ContractDraft {
  if (!contract) {
    return {
      name: '',
      description: '',
      url: '',
      method: 'POST',
      inputSchema: JSON.stringify(STARTER_SCHEMA, null, 2),
      outputSchema: '',
      timeoutSeconds: '10',
      allowedRoles: '',
      signatureSchemes: ['v1'],
    };
  }
  return {
    name: contract.name,
    description: contract.description,
    url: contract.url,
    method: contract.method,
    inputSchema: JSON.stringify(contract.inputSchema, null, 2),
    outputSchema: contract.outputSchema ? JSON.stringify(contract.outputSchema, null, 2) : '',
    timeoutSeconds: String(contract.timeoutMs / 1000),
    allowedRoles: contract.allowedRoles.join(', '),
    signatureSchemes: contract.signatureSchemes,
  };
}

/** The whole contract as POST and PUT take it; throws an ApiError naming the field when the JSON or the timeout cannot be read. */
export function bodyOf(draft: ContractDraft): ContractBody {
  const seconds = Number(draft.timeoutSeconds);
  if (draft.timeoutSeconds.trim() === '' || !Number.isFinite(seconds)) {
    throw new ApiError(400, 'invalid_timeout', 'timeoutMs: must be a number of seconds', [{ field: 'timeoutMs', rule: 'must be a number of seconds, 1-30' }]);
  }
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    url: draft.url.trim(),
    method: draft.method,
    inputSchema: parseJson(draft.inputSchema, 'inputSchema', { object: true }) as ContractBody['inputSchema'],
    outputSchema: draft.outputSchema.trim() ? (parseJson(draft.outputSchema, 'outputSchema', { object: true }) as ContractBody['inputSchema']) : null,
    timeoutMs: Math.round(seconds * 1000),
    allowedRoles: draft.allowedRoles
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    signatureSchemes: draft.signatureSchemes,
  };
}

/** Creating and editing a contract: the same fields, the API's refusals beside each. */
export function ContractForm({
  initial,
  title,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: ContractDraft;
  title: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (draft: ContractDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const set = <K extends keyof ContractDraft>(key: K, value: ContractDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  const toggleScheme = (scheme: Scheme, on: boolean) =>
    set(
      'signatureSchemes',
      SCHEMES.map((s) => s.value).filter((s) => (s === scheme ? on : draft.signatureSchemes.includes(s))),
    );
  const issue = (field: string) => (error instanceof ApiError ? error.issueFor(field) : undefined);
  const schemesRule = issue('signatureSchemes');
  return (
    <form className="panel contracts-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="form-fields">
        <Field label="Name" name="name" error={error} hint="Lowercase letters, digits, “.”, “_” or “-”, e.g. tickets.escalate; unique in the tenant.">
          {(p) => <input {...p} value={draft.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Description" name="description" error={error} hint="Optional: what it does, for whoever invokes it.">
          {(p) => <input {...p} value={draft.description} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <Field label="URL" name="url" error={error} hint="Your backend's route; Hookline calls it through its SSRF-safe egress.">
          {(p) => (
            <input
              {...p}
              type="url"
              value={draft.url}
              onChange={(e) => set('url', e.target.value)}
              placeholder="https://api.example.com/hookline/tickets/escalate"
              spellCheck={false}
            />
          )}
        </Field>
        <Field label="Method" name="method" error={error} hint="The input is sent as the JSON body.">
          {(p) => (
            <select {...p} value={draft.method} onChange={(e) => set('method', e.target.value as Method)}>
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <JsonEditor
        label="Input JSON Schema"
        hint="JSON Schema 2020-12 the input must match; a call that breaks it is refused (422) before your backend sees it."
        value={draft.inputSchema}
        onChange={(text) => set('inputSchema', text)}
        error={issue('inputSchema')}
      />
      <JsonEditor
        label="Output JSON Schema (optional)"
        hint="When set, your backend's JSON answer must match it, or the call fails (502 output_invalid). Leave empty to pass any answer on."
        value={draft.outputSchema}
        onChange={(text) => set('outputSchema', text)}
        error={issue('outputSchema')}
        optional
      />
      <div className="form-fields">
        <Field label="Timeout (seconds)" name="timeoutMs" error={error} hint="1 to 30 s; a slower answer fails with 504.">
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={30}
              step={1}
              inputMode="numeric"
              value={draft.timeoutSeconds}
              onChange={(e) => set('timeoutSeconds', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Allowed roles"
          name="allowedRoles"
          error={error}
          hint="Comma-separated API key roles that may invoke it, e.g. support-lead. None: any key with actions:invoke."
        >
          {(p) => (
            <input
              {...p}
              value={draft.allowedRoles}
              onChange={(e) => set('allowedRoles', e.target.value)}
              placeholder="support-lead, ops"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
      </div>
      <fieldset className={schemesRule ? 'field-invalid' : undefined}>
        <legend>Signature schemes</legend>
        <p className="muted contracts-legend-hint">Each request carries a signature of every scheme checked; your backend verifies the one it is set up for.</p>
        {SCHEMES.map((s) => (
          <label key={s.value} className="contracts-check">
            <input type="checkbox" checked={draft.signatureSchemes.includes(s.value)} onChange={(e) => toggleScheme(s.value, e.target.checked)} />
            <span>
              {s.label} <small className="muted">— {s.hint}</small>
            </span>
          </label>
        ))}
        {schemesRule && <small className="field-error">{schemesRule}</small>}
      </fieldset>
      <FormActions submitLabel={submitLabel} pending={pending} onCancel={onCancel} error={error} errorTitle="The contract was not saved" />
    </form>
  );
}
