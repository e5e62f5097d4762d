import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import { JsonBlock, formatMs } from '../../ui/display';
import { ErrorNotice, Notice } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { JsonEditor } from '../../ui/JsonEditor';
import { contractKeys, parseJson, type Contract, type InvokeAnswer } from './api';

/** What each refusal of an invocation means for the person who tried it, by the API's error code. */
const FAILURES: Record<string, string> = {
  forbidden: 'Not allowed with this API key',
  input_invalid: 'The input does not match the contract’s input schema',
  backend_failed: 'Your backend answered with an error',
  backend_unreachable: 'Your backend could not be reached',
  backend_timeout: 'Your backend did not answer in time',
  output_invalid: 'Your backend’s answer does not match the output schema',
};

/** A call made now with this key's roles; it is audited like any other, refusals included. */
export function InvokePanel({ contract, tenantId }: { contract: Contract; tenantId: string }) {
  const queryClient = useQueryClient();
  const [input, setInput] = useState(() => JSON.stringify(skeleton(contract.inputSchema), null, 2));
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const invoke = useMutation({
    mutationFn: ({ text, key }: { text: string; key: string }) =>
      unwrap(
        api.POST('/v1/tenants/{tenantId}/action-contracts/{id}/invoke', {
          params: { path: { tenantId, id: contract.id }, ...(key ? { header: { 'Idempotency-Key': key } } : {}) },
          body: { input: parseJson(text, 'input') },
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: contractKeys.invocations(tenantId, contract.id) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invoke.mutate({ text: input, key: idempotencyKey.trim() });
  };
  return (
    <section className="panel" aria-labelledby="contract-invoke">
      <h2 id="contract-invoke">Invoke</h2>
      <p className="muted">Calls your backend now, as this API key: the key must hold one of the allowed roles, and the input must match the input schema.</p>
      <form onSubmit={submit} noValidate>
        <JsonEditor
          label="Input (JSON)"
          hint="Sent as the request's JSON body; checked against the input schema as you type (the API checks it again)."
          schema={contract.inputSchema}
          value={input}
          onChange={setInput}
          error={invoke.error instanceof ApiError ? invoke.error.issueFor('input') : undefined}
        />
        <Field
          label="Idempotency key (optional)"
          hint="The same key again answers a success from Hookline's store, or retries a failure under the same invocation id; your backend receives it as idempotency-key."
        >
          {(p) => <input {...p} value={idempotencyKey} onChange={(e) => setIdempotencyKey(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <button type="submit" className="primary" disabled={invoke.isPending}>
          {invoke.isPending ? 'Invoking…' : 'Invoke'}
        </button>
      </form>
      {invoke.isSuccess && <InvokeResult answer={invoke.data} />}
      {invoke.isError && <InvokeFailure error={invoke.error} />}
    </section>
  );
}

function InvokeResult({ answer }: { answer: InvokeAnswer }) {
  return (
    <Notice kind="success">
      <p>
        <strong>
          Your backend answered {answer.status} in {formatMs(answer.durationMs)}.
        </strong>{' '}
        Invocation <code>{answer.invocationId}</code>.
      </p>
      {answer.output === null || answer.output === undefined ? <p>It answered no body.</p> : <JsonBlock value={answer.output} label="Backend output" />}
    </Notice>
  );
}

function InvokeFailure({ error }: { error: Error }) {
  const code = error instanceof ApiError ? error.code : '';
  const body = (error instanceof ApiError ? error.body : undefined) as { backendStatus?: unknown; backendBody?: unknown } | undefined;
  return (
    <>
      <ErrorNotice error={error} title={FAILURES[code] ?? 'The invocation failed'} />
      {typeof body?.backendStatus === 'number' && (
        <div className="contracts-backend-answer">
          <p>
            Your backend answered <strong>{body.backendStatus}</strong>
            {typeof body.backendBody === 'string' && body.backendBody ? ', starting:' : ' with no body.'}
          </p>
          {typeof body.backendBody === 'string' && body.backendBody && <JsonBlock value={body.backendBody} label="Backend answer" />}
        </div>
      )}
    </>
  );
}

/** A starting input shaped like the schema (each property empty of its type), so the form opens close to a valid call. */
function skeleton(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 4) return null;
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; default?: unknown };
  if (s.default !== undefined) return s.default;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) {
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([name, sub]) => [name, skeleton(sub, depth + 1)]));
  }
  return typeof type === 'string' && type in EMPTY ? EMPTY[type] : null;
}

const EMPTY: Record<string, unknown> = { string: '', number: 0, integer: 0, boolean: false, array: [] };
