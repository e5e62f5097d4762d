import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Badge, JsonBlock, formatMs, formatTime } from '../../ui/display';
import { Notice } from '../../ui/feedback';
import { SIGNATURE_HEADERS, signaturesOf, type Endpoint, type Preview, type TestAttempt } from './signatures';

/** Moves focus (and the view) to a result's heading when a new result arrives: it appears below the form, often out of sight. */
function useFocusOnArrival(result: unknown) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);
  return heading;
}

/** The request an endpoint would receive, sent nowhere: method, URL, every header and signature, the body as signed. */
export function PreviewResult({ preview, endpoint, type }: { preview: Preview; endpoint: Endpoint | undefined; type: string }) {
  const heading = useFocusOnArrival(preview);
  const signed = signaturesOf(preview.headers);
  const missing = endpoint?.signatureSchemes.filter((s) => !signed.some((x) => x.scheme === s)) ?? [];
  return (
    <section className="panel test-mode-panel" aria-labelledby="test-mode-preview">
      <h2 id="test-mode-preview" ref={heading} tabIndex={-1}>
        Preview
      </h2>
      <p className="muted">
        The request a delivery of <code>{type}</code> would be, built by the code the dispatcher sends with, and sent nowhere. Each preview has a new event id,
        timestamp and nonce, so its signatures differ from the last one.
      </p>
      <dl className="facts">
        <dt>Request</dt>
        <dd>
          <code>
            {preview.method} {preview.url}
          </code>
        </dd>
        <dt>Signed with</dt>
        <dd>
          {signed.length === 0 ? (
            <span className="muted">no signature</span>
          ) : (
            <ul className="test-mode-schemes">
              {signed.map((s) => (
                <li key={s.scheme}>
                  <Badge tone="info">{s.scheme}</Badge> {s.count === 1 ? 'one signature' : `${s.count} signatures (several secrets or keys sign now)`} in{' '}
                  <code>{s.header}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {missing.length > 0 && (
        <Notice kind="warning">The endpoint is set to sign with {missing.join(', ')} too, but this request carries no such signature.</Notice>
      )}
      <h3>Headers</h3>
      <Headers headers={preview.headers} label="Preview request headers" />
      <p className="muted">
        Not shown: <code>traceparent</code> (new on every attempt, not signed) and what the HTTP client adds (<code>host</code>, <code>content-length</code>,{' '}
        <code>connection</code>).
      </p>
      <h3>Body</h3>
      <p className="muted">Exactly the bytes sent and signed: a receiver verifies these, not the JSON parsed and written again.</p>
      <JsonBlock value={preview.body} label="Preview request body" />
    </section>
  );
}

/** A test send's attempt: how the endpoint answered, or why it could not. */
export function TestResult({ attempt, type }: { attempt: TestAttempt; type: string }) {
  const heading = useFocusOnArrival(attempt);
  const response = attempt.response;
  return (
    <section className="panel test-mode-panel" aria-labelledby="test-mode-result">
      <h2 id="test-mode-result" ref={heading} tabIndex={-1}>
        Test delivery
      </h2>
      <p className="test-mode-outcome">
        {attempt.succeeded ? (
          <Badge tone="good">Delivered{response ? `: ${response.status}` : ''}</Badge>
        ) : (
          <Badge tone="bad">Failed{attempt.failure ? `: ${attempt.failure.kind}` : ''}</Badge>
        )}{' '}
        <code>{type}</code> to <code>{attempt.url}</code> in {formatMs(attempt.durationMs)}
      </p>
      {attempt.failure && (
        <Notice kind="warning">
          {attempt.failure.kind === 'http_status' ? 'The endpoint answered with an error: ' : 'No answer: '}
          {attempt.failure.message}
        </Notice>
      )}
      <dl className="facts">
        <dt>Status</dt>
        <dd>{response ? response.status : <span className="muted">no answer</span>}</dd>
        <dt>Duration</dt>
        <dd>{formatMs(attempt.durationMs)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(attempt.startedAt)}</dd>
        <dt>Event id</dt>
        <dd>
          <code>{attempt.eventId}</code> <Badge tone="info">test</Badge>
        </dd>
        <dt>Delivery</dt>
        <dd>
          <Link to={`/deliveries/${attempt.deliveryId}`}>Open in the delivery log</Link>{' '}
          <span className="muted">
            (listed under <Link to={`/deliveries?mode=test&endpointId=${attempt.endpointId}`}>test sends</Link>, never beside live deliveries)
          </span>
        </dd>
      </dl>
      {response && (
        <>
          <h3>Response headers</h3>
          <Headers headers={response.headers} label="Response headers" />
          <h3>Response body</h3>
          {response.body ? <JsonBlock value={response.body} label="Response body" /> : <p className="muted">Empty.</p>}
          {response.bodyTruncated && <p className="muted">Only the first 4 KiB of the body are kept.</p>}
        </>
      )}
      <details className="test-mode-sent">
        <summary>Request headers sent</summary>
        <Headers headers={attempt.request.headers} label="Test request headers" />
      </details>
    </section>
  );
}

function Headers({ headers, label }: { headers: Record<string, string>; label: string }) {
  const rows = Object.entries(headers);
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <div className="table-wrap">
      <table aria-label={label} className="test-mode-headers">
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
                {SIGNATURE_HEADERS.has(name.toLowerCase()) && (
                  <>
                    {' '}
                    <Badge tone="info">signature</Badge>
                  </>
                )}
                {name.toLowerCase() === 'x-hookline-test' && (
                  <>
                    {' '}
                    <Badge tone="info">test</Badge>
                  </>
                )}
              </th>
              <td>
                <code>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
