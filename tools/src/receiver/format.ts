/* How one request is shown: a summary line, then the body. */
import { dim, green, red, yellow } from '../terminal';

export interface Received {
  at: Date;
  method: string;
  /** Path and query as on the request line. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  check: SignatureCheck;
  /** The status answered. */
  status: number;
}

export type SignatureCheck =
  { kind: 'verified'; scheme: string } | { kind: 'refused'; code: string; message: string } | { kind: 'unchecked' } | { kind: 'error'; message: string };

/** Lines of a pretty-printed JSON body shown before the rest is cut. */
export const MAX_BODY_LINES = 40;
/** Characters of a body that is not JSON shown before the rest is cut. */
export const MAX_BODY_CHARS = 2000;

export interface Colours {
  ok(text: string): string;
  bad(text: string): string;
  note(text: string): string;
  dim(text: string): string;
}

const plain = (text: string) => text;
export const NO_COLOURS: Colours = { ok: plain, bad: plain, note: plain, dim: plain };
/** The terminal's colours (plain text where stdout is not a terminal). */
export const TERMINAL_COLOURS: Colours = { ok: green, bad: red, note: yellow, dim };

export const NO_SECRET_HINT = 'pass --secret whsec_… or set HOOKLINE_ENDPOINT_SECRET';

const header = (headers: Received['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function time(at: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

function describeCheck(check: SignatureCheck, c: Colours): string {
  switch (check.kind) {
    case 'verified':
      return c.ok(`✓ signature verified (${check.scheme})`);
    case 'refused':
      return c.bad(`✗ signature refused: ${check.code} (${check.message})`);
    case 'unchecked':
      return c.note(`? signature not checked: no secret (${NO_SECRET_HINT})`);
    case 'error':
      return c.bad(`✗ signature not checked: ${check.message}`);
  }
}

/** The body as text: JSON pretty-printed, anything else as received; cut when long. */
export function formatBody(body: Buffer): string[] {
  if (body.length === 0) return [];
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    const lines = JSON.stringify(parsed, null, 2).split('\n');
    if (lines.length <= MAX_BODY_LINES) return lines;
    return [...lines.slice(0, MAX_BODY_LINES), `… ${lines.length - MAX_BODY_LINES} more lines`];
  }
  // Control characters would garble the terminal: show them escaped.
  const visible = (s: string) => s.replace(/(?![\n\t])\p{Cc}/gu, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.length <= MAX_BODY_CHARS) return visible(text).split('\n');
  return [...visible(text.slice(0, MAX_BODY_CHARS)).split('\n'), `… ${Buffer.byteLength(text.slice(MAX_BODY_CHARS))} more bytes`];
}

/** One line per request, then its body indented below it. */
export function formatReceived(r: Received, c: Colours = NO_COLOURS): string {
  let type = header(r.headers, 'x-hookline-event');
  if (!type) {
    try {
      const fromBody = (JSON.parse(r.body.toString('utf8')) as { type?: unknown }).type;
      if (typeof fromBody === 'string') type = fromBody;
    } catch {
      /* not JSON: no type to show */
    }
  }
  const line = [
    c.dim(time(r.at)),
    type ?? '(no event type)',
    // A test send (admin-api `POST …/endpoints/:id/test`) says so, so it is not taken for live traffic.
    ...(header(r.headers, 'x-hookline-test') === 'true' ? [c.note('[test]')] : []),
    `webhook-id=${header(r.headers, 'webhook-id') ?? '-'}`,
    `delivery=${header(r.headers, 'x-hookline-delivery') ?? '-'}`,
    `${r.method} ${r.path}`,
    size(r.body.length),
    describeCheck(r.check, c),
    `→ ${r.status}`,
  ].join('  ');
  return [line, ...formatBody(r.body).map((l) => `    ${l}`)].join('\n');
}
