import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formatTime } from '../../ui/display';
import { ErrorNotice, Notice } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { SecretValue } from './parts';

/**
 * The signing secret, never on screen unless asked for: "Reveal secret" reads
 * it from the API (a mutation, so it stays out of the query cache), "Hide
 * secret" forgets it. A rotation shows its new secret once, with the time the
 * previous ones stop signing.
 */
export function SecretPanel({ tenantId, id, canWrite }: { tenantId: string; id: string; canWrite: boolean }) {
  const titleId = useId();
  const confirmId = useId();
  const [confirming, setConfirming] = useState(false);
  const [overlapHours, setOverlapHours] = useState('24');

  const reveal = useMutation({
    mutationFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints/{id}/secret', { params: { path: { tenantId, id } } })),
  });
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/tenants/{tenantId}/endpoints/{id}/secret/rotate', {
          params: { path: { tenantId, id } },
          body: overlapHours.trim() === '' ? {} : { overlapHours: Number(overlapHours) },
        }),
      ),
    onSuccess: () => {
      setConfirming(false);
      reveal.reset();
    },
  });

  const current = reveal.data?.secret;
  const previous = reveal.data ? reveal.data.secrets.filter((s) => s !== current) : [];
  // The read answers when the previous secrets stop signing, whether or not they were rotated out on this page.
  const overlapEnds = reveal.data?.previousSecretsExpireAt ?? null;

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Signing secret</h2>
      <p className="muted">Receivers verify each delivery’s signature with this secret. It is shown only when you ask for it.</p>
      {!canWrite && <p className="muted">Revealing or rotating the secret takes a key with endpoints:write.</p>}

      {rotate.data && (
        <div className="endpoints-rotated">
          <h3>New secret</h3>
          <SecretValue value={rotate.data.secret} label="New secret" copyLabel="Copy new secret" />
          <Notice kind="warning">
            Copy it now: it will not be shown again. The previous secret keeps signing beside it until {formatTime(rotate.data.previousSecretsExpireAt)}; move
            your receivers to the new one before then.
          </Notice>
          <button type="button" onClick={() => rotate.reset()}>
            Done
          </button>
        </div>
      )}

      {reveal.data && (
        <div className="endpoints-revealed">
          <h3>Current secret</h3>
          <SecretValue value={reveal.data.secret} label="Current secret" copyLabel="Copy current secret" />
          {previous.length > 0 && (
            <>
              <h3>Previous secret{previous.length > 1 ? 's' : ''} (rotation overlap)</h3>
              <p className="muted">
                {overlapEnds
                  ? `Still signing beside the current one until ${formatTime(overlapEnds)}.`
                  : 'Still signing beside the current one until the rotation’s overlap ends.'}
              </p>
              {previous.map((s, i) => (
                <SecretValue
                  key={s}
                  value={s}
                  label={previous.length > 1 ? `Previous secret ${i + 1}` : 'Previous secret'}
                  copyLabel={previous.length > 1 ? `Copy previous secret ${i + 1}` : 'Copy previous secret'}
                />
              ))}
            </>
          )}
        </div>
      )}

      {reveal.error && <ErrorNotice error={reveal.error} title="The secret could not be read" retry={() => reveal.mutate()} />}
      {rotate.error && <ErrorNotice error={rotate.error} title="The secret was not rotated" />}

      {canWrite && (
        <div className="row">
          {reveal.data ? (
            <button type="button" onClick={() => reveal.reset()}>
              Hide secret
            </button>
          ) : (
            <button type="button" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
              {reveal.isPending ? 'Revealing…' : 'Reveal secret'}
            </button>
          )}
          <button type="button" aria-expanded={confirming} aria-controls={confirmId} onClick={() => setConfirming(true)} disabled={confirming}>
            Rotate secret
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmPanel
          id={confirmId}
          title="Rotate the signing secret?"
          confirmLabel="Yes, rotate"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate()}
          onCancel={() => {
            setConfirming(false);
            rotate.reset();
          }}
        >
          <p>A new secret signs from now on. The current one keeps signing beside it for the overlap, so receivers can switch without missing a delivery.</p>
          <Field label="Overlap (hours)" name="overlapHours" error={rotate.error} hint="0 to 168; how long the current secret keeps signing.">
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                max={168}
                step={1}
                inputMode="numeric"
                value={overlapHours}
                onChange={(e) => setOverlapHours(e.target.value)}
              />
            )}
          </Field>
        </ConfirmPanel>
      )}
    </section>
  );
}
