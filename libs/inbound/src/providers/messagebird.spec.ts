import { createHash, createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { messagebird, messagebirdKinds } from './messagebird';

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('MessageBird verification needs no fetch')),
};

function request(
  url: string,
  token: string | undefined,
  body = '',
  method: 'GET' | 'POST' = 'POST',
  receivedAt = new Date(),
  contentType?: string,
): InboundRequest {
  return {
    method,
    url,
    headers: { ...(token === undefined ? {} : { 'messagebird-signature-jwt': token }), ...(contentType ? { 'content-type': contentType } : {}) },
    rawBody: Buffer.from(body, 'utf8'),
    receivedAt,
  };
}

const keysOf = (secret: string | undefined, options: Record<string, unknown> = {}): SourceKeys => ({ secret, options: messagebird.parseOptions(options) });

function expectRefused(verdict: Verdict, status: number, reason: string, detail?: RegExp) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  if (detail) expect((verdict as Extract<Verdict, { kind: 'refused' }>).detail).toMatch(detail);
}

/**
 * Reference vectors published by MessageBird with its official SDKs (the same file in both):
 * https://github.com/messagebird/go-rest-api/blob/master/signature_jwt/testdata/reference.json
 * https://github.com/messagebird/messagebird-nodejs/blob/master/lib/testdata/webhook-signature-jwt-reference.json
 * Each names a signing key, a URL, a payload, the time the request was received and the token MessageBird sent.
 */
describe('messagebird: published reference vectors', () => {
  const secret = '36efdd1aace2e26cd490f0d951138253bef2f7c6d34d18981da781555cc4cebb';
  const at = new Date('2021-07-05T12:00:00+02:00');
  const ROOT =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.6Fp0rVOsRr1fj9S2GidXAfkmPVofKr8_RTffC6G6r2E';
  const QUERY =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJjOTQ2YWY3Ny1lMTgyLTRlYWEtYjJmZi0xYTU0NWI1ZTk5MWEiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAifQ.huo2ou6JDoDc7sV25d75UMWeYhBeavQlLsqIibSZuac';
  const QUERY_AND_PAYLOAD =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI5M2U1NTAwNi1hMGU4LTQ1MjYtYTE5MC1mYTVmZjAwZWExMTYiLCJ1cmxfaGFzaCI6IjQxZjA1ZjBkZGQwYTIyYWIyMDlhYzQ2ZjQ3YzQ1NzJkOWNlZmEyNTdlZDc0YjI0MDA0YmFlNzUzZWNlNmMyNjAiLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0._H--TOuYFLpeEH39-rg5E3IHVkjHozBcaKVWPRC5m9I';
  const SPECIAL_URL =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjhhZmYzNzQ4ZDc4OWM0MzMzNTczZTFjMzFmZTViMDA0OTQwY2I1ZmM0NzQ2MGVkM2QwZTY1NGY3ZmM0ZTVmYWUifQ.mJBCMfEjKmN3IMuzqPXPHktWETrcu0iNdF3agE8PDyI';
  const SPECIAL_PAYLOAD =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiIyNDMxYmQ5Y2NiNDhlZDAxNmZhZDU2N2IwNzcxMjAzOGI1Y2RkOTQ5YWM5ZDQxZmU0NjkzZDVhMzg0NWNmN2U4In0.IQiKzeEPaO3A48lhKmBDSmxZyCESPCGxdSKFdi0dEJs';
  const NBF_IN_FUTURE =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ4MjgwMCwiZXhwIjoxNjI1NDgyODYwLCJqdGkiOiJmOWY4YzM4Mi0yNDQ5LTQzMTEtYjcyYi0xZGY3MTY4NzkzMWUiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.ZELgDFNGhjZH9CffQKcq3sytBe2I0KciLxpBhcfstHQ';
  const EXPIRED =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3NTYwMCwiZXhwIjoxNjI1NDc1NjYwLCJqdGkiOiI1ZjAyZjUyMi02MDMwLTQ2YzgtYjVhMy0wMTI0NjQ3OGQ4YmMiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.45MSST3B_2PsjNUeiuW54_vUQgVw4rBXrdWrOUEz3lM';
  const URL_REORDERED =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiJhNzVjOTA5Ni1lODIzLTQ0MmItODVmMi03ZDNjOWQ5YjcyNmIiLCJ1cmxfaGFzaCI6IjZhMDIyZDgzNGMxODMzMGJhYWQ4YTJiZDYxMzUxNzNlZDIxNjEwYTQ1NDUxNmJlMGRmM2YxY2MwMTUxNjEwZWEifQ.z6Sw1XQIM0wuEQGBhXBdawDIIrtMg2XnmA_bpDq53pE';
  const PAYLOAD_MISMATCH =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIxNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJmYjYyZjAyYWNkYTdkNzQxNzdhNzAxYTFjZTAwNmU2YmFjZDkwYzdkNGQ3YWI0ODE2OTJjMWRhNDdjODEwNzZiIn0.m79RCwO6dGa9pvzsQypkVuXQ6eM0CkRl6_U7MfWg6TM';
  const DIFFERENT_SECRET =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIyNDNjMjdhZS0yZjAyLTQ2YTAtODg1Mi1jNjZmMzdlYTlmNDYiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.JgSeYyOtlEKAXk8bz30iJI4tXgf4lxknoiezawuVhb4';
  const PAYLOAD_REMOVED =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiIxNDUwMTUzMi05NmYyLTQ2ODQtOTgzMi02OGYwOTUxYWUzNDIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDciLCJwYXlsb2FkX2hhc2giOiJkZmZkNjAyMWJiMmJkNWIwYWY2NzYyOTA4MDllYzNhNTMxOTFkZDgxYzdmNzBhNGIyODY4OGEzNjIxODI5ODZmIn0.bHfsjj3tljfzTufoG3EU3p_yFrQh9CufyzRSaRMd4ss';
  const HS384 =
    'eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.KNMW-29X77lZeuPmThmHWc_RUAvTkaDkpxIZK6mqE08v8mWKiU9Edh4QXwAJO2nv';
  const HS512 =
    'eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJNZXNzYWdlQmlyZCIsIm5iZiI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.rd6r0iMyNGnVPCwurETphE3Y8rpAyvvnUK0S8WvGUkt2E1QSRAZ7NZJZBHw1Y_Wb5W-sK9HJr_PRL2vz4jRT3Q';
  const NONE =
    'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJNZXNzYWdlQmlyZCIsImlhdCI6MTYyNTQ3OTIwMCwiZXhwIjoxNjI1NDc5MjYwLCJqdGkiOiI1OWEyNDRkYy1lOWFkLTRlMjMtOTc3OC0zNzFmYWEyMzhmNzIiLCJ1cmxfaGFzaCI6IjBmMTE1ZGIwNjJiN2MwZGQwMzBiMTY4NzhjOTlkZWE1YzM1NGI0OWRjMzdiMzhlYjg4NDYxNzljNzc4M2U5ZDcifQ.';
  const root = 'https://example.com/';
  const withQuery = 'https://example.com/path?bar=1&foo=2';
  const verify = (req: InboundRequest, options: Record<string, unknown> = {}) => messagebird.verify(req, keysOf(secret, options), tools);

  it.each(['GET', 'POST'] as const)('accepts the valid vectors (%s)', async (method) => {
    const cases: [string, string, string][] = [
      [ROOT, root, ''],
      [QUERY, withQuery, ''],
      [QUERY_AND_PAYLOAD, withQuery, 'Hello, World!'],
      [SPECIAL_URL, 'https://example.com/?obj%5Bfield1%5D=val1&obj%5Bfield2%5D=val2&param=value+with+spaces', ''],
      [SPECIAL_PAYLOAD, root, 'Some text containg & < >, & and \\u0026'],
    ];
    for (const [token, url, body] of cases) expect(await verify(request(url, token, body, method, at))).toMatchObject({ kind: 'accepted' });
  });

  it('turns a vector with an empty body into one event made of the query parameters', async () => {
    expect(await verify(request(withQuery, QUERY, '', 'GET', at))).toEqual({ kind: 'accepted', events: [{ kind: 'callback', data: { bar: '1', foo: '2' } }] });
  });

  it('refuses the vector received before its nbf, and the one received after its exp', async () => {
    await expect(verify(request(root, NBF_IN_FUTURE, '', 'GET', at))).resolves.toMatchObject({ kind: 'refused', status: 401, reason: 'stale_timestamp' });
    await expect(verify(request(root, EXPIRED, '', 'GET', at))).resolves.toMatchObject({ kind: 'refused', status: 401, reason: 'stale_timestamp' });
  });

  it('keeps the valid vector valid for its 60 s and the documented 1 s leeway, not longer', async () => {
    const nbf = 1625479200;
    const atSecond = (s: number) => new Date(s * 1000);
    expect((await verify(request(root, ROOT, '', 'GET', atSecond(nbf - 1)))).kind).toBe('accepted');
    expect((await verify(request(root, ROOT, '', 'GET', atSecond(nbf + 61)))).kind).toBe('accepted');
    expectRefused(await verify(request(root, ROOT, '', 'GET', atSecond(nbf - 2))), 401, 'stale_timestamp', /nbf/);
    expectRefused(await verify(request(root, ROOT, '', 'GET', atSecond(nbf + 62))), 401, 'stale_timestamp', /exp/);
    expect((await verify(request(root, ROOT, '', 'GET', atSecond(nbf + 64)), { leewaySeconds: 5 })).kind).toBe('accepted');
  });

  it('refuses the vector whose URL differs from the one MessageBird signed (query reordered)', async () => {
    expectRefused(await verify(request('https://example.com/path?foo=1&bar=2', URL_REORDERED, '', 'GET', at)), 401, 'bad_signature', /url_hash/);
    expectRefused(await verify(request('https://example.com/path?foo=2&bar=1', QUERY, '', 'GET', at)), 401, 'bad_signature', /url_hash/);
  });

  it('refuses the vectors whose payload does not match, was removed, or was added in transit', async () => {
    expectRefused(await verify(request(root, PAYLOAD_MISMATCH, 'Hello, World!', 'POST', at)), 401, 'bad_signature', /payload_hash does not match/);
    expectRefused(await verify(request(root, PAYLOAD_REMOVED, '', 'POST', at)), 401, 'bad_signature', /body is empty/);
    expectRefused(await verify(request(root, ROOT, 'Hello, World!', 'POST', at)), 401, 'bad_signature', /no payload_hash/);
    expectRefused(await verify(request(withQuery, QUERY_AND_PAYLOAD, 'Hello, World?', 'POST', at)), 401, 'bad_signature', /payload_hash/);
  });

  it('refuses the vector signed with a different key, and every vector under another key', async () => {
    expectRefused(await verify(request(root, DIFFERENT_SECRET, '', 'GET', at)), 401, 'bad_signature', /signature/);
    expectRefused(await messagebird.verify(request(root, ROOT, '', 'GET', at), keysOf(secret.replace(/^3/, '4')), tools), 401, 'bad_signature', /signature/);
  });

  it('refuses the alg none vector, and HS384/HS512 unless the source opts into them as MessageBird SDKs do', async () => {
    expectRefused(await verify(request(root, NONE, '', 'GET', at)), 401, 'bad_signature', /alg/);
    expectRefused(await verify(request(root, NONE, '', 'GET', at), { algorithms: ['HS256', 'HS384', 'HS512'] }), 401, 'bad_signature', /alg/);
    expectRefused(await verify(request(root, HS384, '', 'GET', at)), 401, 'bad_signature', /alg is not HS256/);
    expectRefused(await verify(request(root, HS512, '', 'GET', at)), 401, 'bad_signature', /alg is not HS256/);
    const all = { algorithms: ['HS256', 'HS384', 'HS512'] };
    expect((await verify(request(root, HS384, '', 'GET', at), all)).kind).toBe('accepted');
    expect((await verify(request(root, HS512, '', 'GET', at), all)).kind).toBe('accepted');
    // An HS384 token relabelled HS256 keeps its HS384 MAC: refused.
    const relabelled = HS384.replace(/^[^.]+/, Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'));
    expectRefused(await verify(request(root, relabelled, '', 'GET', at), all), 401, 'bad_signature', /signature/);
  });
});

describe('messagebird: requests signed in the test', () => {
  const secret = 'mb-signing-key-7fQ2vX9pL4sT8wZ1';
  const now = new Date('2026-03-02T09:30:00.000Z');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
  let jtiCounter = 0;

  /** A JWS as RFC 7515 builds it, with the claims MessageBird documents. */
  function token(
    url: string,
    body: string,
    overrides: Record<string, unknown> = {},
    opts: { key?: string; alg?: string; header?: Record<string, unknown> } = {},
  ) {
    const alg = opts.alg ?? 'HS256';
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT', ...opts.header })).toString('base64url');
    const claims = {
      iss: 'MessageBird',
      nbf: nowSeconds - 2,
      exp: nowSeconds + 58,
      jti: `4a1d0c55-2f5e-4c1b-9a61-${String(++jtiCounter).padStart(12, '0')}`,
      url_hash: hex(url),
      ...(body ? { payload_hash: hex(body) } : {}),
      ...overrides,
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg] ?? 'sha256';
    const signature = createHmac(hash, opts.key ?? secret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    return `${header}.${payload}.${signature}`;
  }
  const verify = (req: InboundRequest, options: Record<string, unknown> = {}) => messagebird.verify(req, keysOf(secret, options), tools);

  const statusUrl =
    'https://hooks.hookline.example/in/src_mb?id=efa6405d518d4c0c88cce11f7db775fb&reference=order-10428&recipient=31612345678&status=delivered&statusDatetime=2026-03-02T09%3A29%3A55%2B00%3A00&statusReason=successfully+delivered';
  const webhookUrl = 'https://hooks.hookline.example/in/src_mb';

  it('accepts an SMS status report (a GET) as message_status, id = message id, recipient and status', async () => {
    expect(await verify(request(statusUrl, token(statusUrl, ''), '', 'GET', now))).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'message_status',
          id: 'efa6405d518d4c0c88cce11f7db775fb:31612345678:delivered',
          occurredAt: '2026-03-02T09:29:55.000Z',
          data: {
            id: 'efa6405d518d4c0c88cce11f7db775fb',
            reference: 'order-10428',
            recipient: '31612345678',
            status: 'delivered',
            statusDatetime: '2026-03-02T09:29:55+00:00',
            statusReason: 'successfully delivered',
          },
        },
      ],
    });
  });

  it('accepts a Conversations message.created (received) as message and message.updated as message_status', async () => {
    const created = JSON.stringify(messagebirdKinds.find((k) => k.kind === 'message')!.example);
    expect(await verify(request(webhookUrl, token(webhookUrl, created), created, 'POST', now, 'application/json'))).toEqual({
      kind: 'accepted',
      events: [{ kind: 'message', id: '5f3437fdb8444583aea093a047ac014b', occurredAt: '2026-03-02T09:30:00.000Z', data: JSON.parse(created) }],
    });
    const updated = JSON.stringify({
      type: 'message.updated',
      message: {
        id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        direction: 'sent',
        status: 'read',
        createdDatetime: '2026-03-02T09:28:00Z',
        updatedDatetime: '2026-03-02T09:29:40Z',
      },
    });
    expect(await verify(request(webhookUrl, token(webhookUrl, updated), updated, 'POST', now, 'application/json'))).toEqual({
      kind: 'accepted',
      events: [{ kind: 'message_status', id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90:read', occurredAt: '2026-03-02T09:29:40.000Z', data: JSON.parse(updated) }],
    });
  });

  it('accepts a forwarded inbound SMS posted as a form as message, with its fields as data', async () => {
    const form = 'id=c3e0a1f2b4d5&recipient=3197010260180&originator=31612345678&body=STOP&createdDatetime=2026-03-02T09%3A29%3A30%2B00%3A00';
    expect(await verify(request(webhookUrl, token(webhookUrl, form), form, 'POST', now, 'application/x-www-form-urlencoded'))).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'message',
          id: 'c3e0a1f2b4d5',
          occurredAt: '2026-03-02T09:29:30.000Z',
          data: { id: 'c3e0a1f2b4d5', recipient: '3197010260180', originator: '31612345678', body: 'STOP', createdDatetime: '2026-03-02T09:29:30+00:00' },
        },
      ],
    });
  });

  it('gives each catalog example its own kind', async () => {
    for (const { kind, example } of messagebirdKinds) {
      const body = JSON.stringify(example);
      const verdict = await verify(request(webhookUrl, token(webhookUrl, body), body, 'POST', now, 'application/json'));
      expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind }] });
    }
  });

  it('refuses a tampered body and a tampered URL', async () => {
    const body = JSON.stringify({ type: 'message.updated', message: { id: 'x1', status: 'delivered' } });
    const jwt = token(webhookUrl, body);
    expectRefused(await verify(request(webhookUrl, jwt, body.replace('delivered', 'failed'), 'POST', now)), 401, 'bad_signature', /payload_hash/);
    expectRefused(await verify(request(`${webhookUrl}?x=1`, jwt, body, 'POST', now)), 401, 'bad_signature', /url_hash/);
    expectRefused(await verify(request(statusUrl.replace('delivered', 'failed'), token(statusUrl, ''), '', 'GET', now)), 401, 'bad_signature', /url_hash/);
  });

  it('refuses a token signed with another key, or whose claims were altered after signing', async () => {
    expectRefused(await verify(request(statusUrl, token(statusUrl, '', {}, { key: 'another-key' }), '', 'GET', now)), 401, 'bad_signature', /signature/);
    const [h, , s] = token(statusUrl, '').split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ iss: 'MessageBird', nbf: nowSeconds, exp: nowSeconds + 600, jti: 'x', url_hash: hex(statusUrl) }),
    ).toString('base64url');
    expectRefused(await verify(request(statusUrl, `${h}.${forgedClaims}.${s}`, '', 'GET', now)), 401, 'bad_signature', /signature/);
  });

  it('refuses an expired token, a token not valid yet, and one issued in the future', async () => {
    const expired = token(statusUrl, '', { nbf: nowSeconds - 600, exp: nowSeconds - 540 });
    expectRefused(await verify(request(statusUrl, expired, '', 'GET', now)), 401, 'stale_timestamp', /exp/);
    const early = token(statusUrl, '', { nbf: nowSeconds + 30, exp: nowSeconds + 90 });
    expectRefused(await verify(request(statusUrl, early, '', 'GET', now)), 401, 'stale_timestamp', /nbf/);
    const issuedAhead = token(statusUrl, '', { iat: nowSeconds + 30 });
    expectRefused(await verify(request(statusUrl, issuedAhead, '', 'GET', now)), 401, 'stale_timestamp', /iat/);
    expect((await verify(request(statusUrl, token(statusUrl, '', { iat: nowSeconds - 2 }), '', 'GET', now))).kind).toBe('accepted');
  });

  it('refuses a request without the header, or with something that is not a JWT in it', async () => {
    expectRefused(await verify(request(statusUrl, undefined, '', 'GET', now)), 401, 'missing_signature');
    expectRefused(await verify(request(statusUrl, '', '', 'GET', now)), 401, 'missing_signature');
    expectRefused(await verify(request(statusUrl, 'Bearer abc', '', 'GET', now)), 401, 'bad_signature', /not a JWT/);
    expectRefused(await verify(request(statusUrl, 'a.b.c.d', '', 'GET', now)), 401, 'bad_signature', /not a JWT/);
    expectRefused(await verify(request(statusUrl, '!!.e30.sig', '', 'GET', now)), 401, 'bad_signature', /header/);
  });

  it('refuses tokens with the wrong iss, without jti, nbf or exp, with another alg or with critical extensions', async () => {
    const cases: [string, RegExp][] = [
      [token(statusUrl, '', { iss: 'Eve' }), /iss/],
      [token(statusUrl, '', { jti: undefined }), /jti/],
      [token(statusUrl, '', { jti: '' }), /jti/],
      [token(statusUrl, '', { nbf: undefined }), /nbf and exp/],
      [token(statusUrl, '', { exp: String(nowSeconds + 60) }), /nbf and exp/],
      [token(statusUrl, '', {}, { alg: 'HS512' }), /alg is not HS256/],
      [token(statusUrl, '', {}, { alg: 'RS256' }), /alg/],
      [token(statusUrl, '', {}, { header: { crit: ['b64'], b64: false } }), /critical/],
    ];
    for (const [jwt, detail] of cases) expectRefused(await verify(request(statusUrl, jwt, '', 'GET', now)), 401, 'bad_signature', detail);
  });

  it('refuses everything while the source has no signing key', async () => {
    const jwt = token(statusUrl, '', {}, { key: '' });
    expectRefused(await messagebird.verify(request(statusUrl, jwt, '', 'GET', now), keysOf(undefined), tools), 401, 'bad_signature', /no signing key/);
    expectRefused(await messagebird.verify(request(statusUrl, jwt, '', 'GET', now), keysOf(''), tools), 401, 'bad_signature', /no signing key/);
  });

  it('refuses a correctly signed JSON body that does not parse as malformed', async () => {
    const body = '{"type":"message.created",';
    expectRefused(await verify(request(webhookUrl, token(webhookUrl, body), body, 'POST', now, 'application/json')), 400, 'malformed');
    const array = '[1,2]';
    expectRefused(await verify(request(webhookUrl, token(webhookUrl, array), array, 'POST', now, 'application/json')), 400, 'malformed');
  });

  it('never puts the key, the token or the body in a refusal detail', async () => {
    const body = JSON.stringify({ type: 'message.updated', message: { id: 'secret-message-id', status: 'delivered' } });
    const jwt = token(webhookUrl, body);
    const verdicts = [
      await verify(request(webhookUrl, jwt, body.replace('delivered', 'failed'), 'POST', now)),
      await verify(request(`${webhookUrl}?x=1`, jwt, body, 'POST', now)),
      await verify(request(webhookUrl, token(webhookUrl, body, {}, { key: 'other' }), body, 'POST', now)),
      await verify(request(webhookUrl, token(webhookUrl, body, { exp: nowSeconds - 100, nbf: nowSeconds - 160 }), body, 'POST', now)),
      await verify(request(webhookUrl, token(webhookUrl, '{'), '{', 'POST', now, 'application/json')),
    ];
    for (const verdict of verdicts) {
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      for (const secretish of [secret, jwt, jwt.split('.')[2], 'secret-message-id', hex(body), hex(webhookUrl)])
        expect(verdict.detail).not.toContain(secretish);
    }
  });
});

describe('messagebird: options', () => {
  it('defaults to HS256 only and 1 s leeway, and names the rule it breaks', () => {
    expect(messagebird.parseOptions(undefined)).toEqual({ algorithms: ['HS256'], leewaySeconds: 1 });
    expect(messagebird.parseOptions({ algorithms: ['HS256', 'HS512'], leewaySeconds: 5 })).toEqual({ algorithms: ['HS256', 'HS512'], leewaySeconds: 5 });
    expect(() => messagebird.parseOptions({ algorithms: ['none'] })).toThrow(/HS256, HS384 and HS512/);
    expect(() => messagebird.parseOptions({ algorithms: ['RS256'] })).toThrow(/HS256, HS384 and HS512/);
    expect(() => messagebird.parseOptions({ algorithms: [] })).toThrow(/at least one/);
    expect(() => messagebird.parseOptions({ leewaySeconds: 61 })).toThrow(/0-60/);
    expect(() => messagebird.parseOptions({ leeway: 1 })).toThrow(/leeway/);
  });
});
