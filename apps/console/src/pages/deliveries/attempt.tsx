import { Fragment } from 'react';
import { Badge, formatMs, formatTime, JsonBlock } from '../../ui/display';
import type { Attempt } from './model';

/** The body a delivery sends, as far as the log can tell: the event's envelope, or why it cannot be shown. */
export type SentBody = { state: 'loading' } | { state: 'unknown'; why: string } | { state: 'known'; value: unknown };

/** One attempt, expandable: what was sent, what came back, how long it took, and why it failed. */
export function AttemptItem({ attempt, open, body }: { attempt: Attempt; open: boolean; body: SentBody }) {
  const a = attempt;
  const outcome = a.response ? `HTTP ${a.response.status}` : (a.failure?.kind ?? 'no response');
  return (
    <details className="deliveries-attempt" id={`attempt-${a.attempt}`} open={open}>
      <summary>
        <span className="deliveries-attempt-title">Attempt {a.attempt}</span>
        <Badge tone={a.succeeded ? 'good' : 'bad'}>{a.succeeded ? 'succeeded' : 'failed'}</Badge>
        <span>{outcome}</span>
        <span className="muted">
          {formatMs(a.durationMs)} · {formatTime(a.startedAt)}
        </span>
        {a.replay && <Badge tone="info">{a.replay.jobId ? 'recovery' : 'replay'}</Badge>}
      </summary>
      <div className="deliveries-attempt-body">
        {a.failure && (
          <div className="notice notice-error">
            <strong>{a.failure.kind}</strong>
            {a.failure.message && <p>{a.failure.message}</p>}
          </div>
        )}
        <dl className="facts deliveries-timing">
          <dt>Started</dt>
          <dd>{formatTime(a.startedAt)}</dd>
          <dt>Duration</dt>
          <dd>{formatMs(a.durationMs)}</dd>
          {a.replay && (
            <>
              <dt>Replayed</dt>
              <dd>
                by <code>{a.replay.by}</code> at {formatTime(a.replay.at)}
                {a.replay.jobId && (
                  <>
                    , through recovery job <code>{a.replay.jobId}</code>
                  </>
                )}
              </dd>
            </>
          )}
        </dl>
        <div className="deliveries-exchange">
          <div>
            <h3>Request</h3>
            <p className="mono deliveries-url">POST {a.url}</p>
            <h4>Headers</h4>
            <Headers headers={a.request.headers} />
            <h4>Body</h4>
            <RequestBody body={body} attempt={a.attempt} />
          </div>
          <div>
            <h3>Response</h3>
            {a.response ? (
              <>
                <p>
                  <Badge tone={a.response.status >= 200 && a.response.status < 300 ? 'good' : 'bad'}>{a.response.status}</Badge>
                </p>
                <h4>Headers</h4>
                <Headers headers={a.response.headers} />
                <h4>Body</h4>
                {a.response.body ? <JsonBlock value={a.response.body} label={`Response body of attempt ${a.attempt}`} /> : <p className="muted">Empty.</p>}
                {a.response.bodyTruncated && <p className="muted">Truncated: the log keeps the first 4,096 bytes of a response body.</p>}
              </>
            ) : (
              <p className="muted">No response: the request failed before the endpoint answered{a.failure ? ` (${a.failure.kind})` : ''}.</p>
            )}
          </div>
        </div>
      </div>
    </details>
  );
}

function Headers({ headers }: { headers: Record<string, string> | null }) {
  const entries = Object.entries(headers ?? {}).sort(([x], [y]) => x.localeCompare(y));
  if (entries.length === 0) return <p className="muted">None recorded.</p>;
  return (
    <dl className="facts deliveries-headers">
      {entries.map(([name, value]) => (
        <Fragment key={name}>
          <dt className="mono">{name}</dt>
          <dd className="mono">{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function RequestBody({ body, attempt }: { body: SentBody; attempt: number }) {
  if (body.state === 'loading') return <p className="muted">Loading the event…</p>;
  if (body.state === 'unknown') return <p className="muted">{body.why}</p>;
  return (
    <>
      <JsonBlock value={body.value} label={`Request body of attempt ${attempt}`} />
      <p className="muted">
        Rebuilt from the event as the log keeps it: the bytes sent may order the keys of <code>data</code> differently.
      </p>
    </>
  );
}
