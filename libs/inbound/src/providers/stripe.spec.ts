import { createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { stripe, stripeKinds } from './stripe';

const SECRET = 'whsec_7bQd1xK9mP3sV6yZ2cF5hJ8nR4tW0aE1';
const NOW = new Date('2026-03-02T09:30:00.000Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('Stripe verification must not fetch anything')),
};

/** Stripe's documented scheme, written out here independently of the provider: hex HMAC-SHA256 of `<t>.<body>` under the secret as a string. */
const v1 = (secret: string, t: number | string, body: string | Buffer) => createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

const keys = (secret: string | undefined = SECRET, options: Record<string, unknown> = {}): SourceKeys => ({ secret, options: stripe.parseOptions(options) });

function request(body: string | Buffer, headers: Record<string, string>, overrides: Partial<InboundRequest> = {}): InboundRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/in/src_stripe',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    receivedAt: NOW,
    ...overrides,
  };
}

/** A request signed now (or at `t`) with `secret`, as Stripe sends it. */
const signed = (body: string, secret = SECRET, t: number = NOW_S) => request(body, { 'stripe-signature': `t=${t},v1=${v1(secret, t, body)}` });

const invoicePaid = {
  id: 'evt_1PqU3cLkdIwHu7ixg6h7i8j9',
  object: 'event',
  api_version: '2024-06-20',
  created: 1772443790,
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: 'invoice.paid',
  data: { object: { id: 'in_1PqU3bLkdIwHu7ixk0l1m2n3', object: 'invoice', amount_paid: 3900, currency: 'usd', status: 'paid' } },
};
// Stripe pretty-prints its bodies; the signature covers these exact bytes.
const INVOICE_PAID = JSON.stringify(invoicePaid, null, 2);

function expectRefused(verdict: Verdict, status: number, reason: string) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  if (verdict.kind !== 'refused') return;
  // A refusal's detail is logged: it never carries the secret, an expected signature or the body.
  expect(verdict.detail).not.toContain(SECRET);
  expect(verdict.detail).not.toMatch(/[0-9a-f]{64}/);
  expect(verdict.detail).not.toContain('evt_');
}

describe('stripe provider', () => {
  it('accepts a signed event and turns it into one event: kind = type, id = evt_ id, data = the Event, occurredAt = created', async () => {
    const verdict = await stripe.verify(signed(INVOICE_PAID), keys(), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [{ kind: 'invoice.paid', id: 'evt_1PqU3cLkdIwHu7ixg6h7i8j9', data: invoicePaid, occurredAt: '2026-03-02T09:29:50.000Z' }],
    });
  });

  // A published vector: Stripe's own .NET library tests ConstructEvent with this secret, timestamp, body
  // (its fixture event_test_signature.json, LF line endings, final newline) and header.
  // https://github.com/stripe/stripe-dotnet/blob/master/src/StripeTests/Services/Events/EventUtilityTest.cs
  // https://github.com/stripe/stripe-dotnet/blob/master/src/StripeTests/Resources/event_test_signature.json
  describe("Stripe's published vector (stripe-dotnet EventUtilityTest)", () => {
    const body =
      '{\n  "id": "evt_123",\n  "object": "event",\n  "account": "acct_123",\n  "api_version": "2017-05-25",\n  "created": 1533204620,\n' +
      '  "data": {\n    "object": {\n      "id": "cus_123",\n      "object": "customer",\n      "created": 123456789,\n' +
      '      "email": "test@stripe.com",\n      "livemode": false,\n      "metadata": {}\n    }\n  },\n  "livemode": false,\n' +
      '  "pending_webhooks": 1,\n  "request": {\n    "id": "req_123",\n    "idempotency_key": "idempotency-key-123"\n  },\n' +
      '  "type": "customer.created"\n}\n';
    const header =
      't=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef';
    const vectorKeys: SourceKeys = { secret: 'webhook_secret', options: stripe.parseOptions({}) };
    const at = (offset: number) => new Date((1533204620 + offset) * 1000);

    it('is accepted 100 s after t, as the library test does', async () => {
      const verdict = await stripe.verify(request(body, { 'stripe-signature': header }, { receivedAt: at(100) }), vectorKeys, tools);
      expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind: 'customer.created', id: 'evt_123', occurredAt: '2018-08-02T10:10:20.000Z' }] });
      if (verdict.kind === 'accepted') expect(verdict.events[0].data).toMatchObject({ account: 'acct_123', request: { id: 'req_123' } });
    });

    it('is refused as stale 400 s after t (tolerance 300 s), as the library test does', async () => {
      expectRefused(await stripe.verify(request(body, { 'stripe-signature': header }, { receivedAt: at(400) }), vectorKeys, tools), 401, 'stale_timestamp');
    });

    it('is refused with the body changed, as the library test does', async () => {
      const verdict = await stripe.verify(request(body + 'this_changes_the_json', { 'stripe-signature': header }, { receivedAt: at(100) }), vectorKeys, tools);
      expectRefused(verdict, 401, 'bad_signature');
    });
  });

  it('signs the raw bytes: the same JSON re-serialised (or re-encoded) is refused', async () => {
    const body = JSON.stringify({ ...invoicePaid, data: { object: { description: 'Café crème — 2 × €4' } } }, null, 2);
    const good = signed(body);
    expect((await stripe.verify(good, keys(), tools)).kind).toBe('accepted');
    const compact = { ...good, rawBody: Buffer.from(JSON.stringify(JSON.parse(body))) };
    expectRefused(await stripe.verify(compact, keys(), tools), 401, 'bad_signature');
    const latin1 = { ...good, rawBody: Buffer.from(body, 'latin1') };
    expectRefused(await stripe.verify(latin1, keys(), tools), 401, 'bad_signature');
  });

  it('refuses a tampered body', async () => {
    const tampered = { ...signed(INVOICE_PAID), rawBody: Buffer.from(INVOICE_PAID.replace('"amount_paid": 3900', '"amount_paid": 3901')) };
    expectRefused(await stripe.verify(tampered, keys(), tools), 401, 'bad_signature');
  });

  it('refuses a request signed with another secret', async () => {
    expectRefused(await stripe.verify(signed(INVOICE_PAID, 'whsec_someone_elses_secret_0123456789'), keys(), tools), 401, 'bad_signature');
  });

  it('uses the secret as the string it is (whsec_ included), not base64-decoded', async () => {
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const t = NOW_S;
    const header = `t=${t},v1=${createHmac('sha256', decodedKey).update(`${t}.${INVOICE_PAID}`).digest('hex')}`;
    expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': header }), keys(), tools), 401, 'bad_signature');
  });

  it('signs t with the body: a valid v1 moved to another t is refused', async () => {
    const header = `t=${NOW_S - 10},v1=${v1(SECRET, NOW_S, INVOICE_PAID)}`;
    expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': header }), keys(), tools), 401, 'bad_signature');
  });

  it('refuses a stale or future timestamp beyond 300 s, and accepts one within it', async () => {
    expectRefused(await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S - 301), keys(), tools), 401, 'stale_timestamp');
    expectRefused(await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S + 301), keys(), tools), 401, 'stale_timestamp');
    expect((await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S - 300), keys(), tools)).kind).toBe('accepted');
    expect((await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S + 299), keys(), tools)).kind).toBe('accepted');
  });

  it('measures the tolerance against receivedAt, not the clock', async () => {
    const long = new Date('2020-01-01T00:00:00Z');
    const t = Math.floor(long.getTime() / 1000) - 5;
    const verdict = await stripe.verify({ ...signed(INVOICE_PAID, SECRET, t), receivedAt: long }, keys(), tools);
    expect(verdict.kind).toBe('accepted');
  });

  it('takes its tolerance from the toleranceSeconds option', async () => {
    const wide = keys(SECRET, { toleranceSeconds: 600 });
    expect((await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S - 599), wide, tools)).kind).toBe('accepted');
    expectRefused(await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S - 601), wide, tools), 401, 'stale_timestamp');
    const narrow = keys(SECRET, { toleranceSeconds: 30 });
    expectRefused(await stripe.verify(signed(INVOICE_PAID, SECRET, NOW_S - 31), narrow, tools), 401, 'stale_timestamp');
  });

  it('accepts when any v1 matches (a secret being rolled), whatever its position', async () => {
    const old = v1('whsec_the_previous_secret_000000000', NOW_S, INVOICE_PAID);
    const current = v1(SECRET, NOW_S, INVOICE_PAID);
    for (const header of [`t=${NOW_S},v1=${old},v1=${current}`, `t=${NOW_S},v1=${current},v1=${old}`, `v1=${old}, t=${NOW_S}, v1=${current}, v0=abc`]) {
      expect((await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': header }), keys(), tools)).kind).toBe('accepted');
    }
  });

  it('ignores v0 and any other scheme, even one carrying the right HMAC (no downgrade)', async () => {
    const right = v1(SECRET, NOW_S, INVOICE_PAID);
    for (const header of [`t=${NOW_S},v0=${right}`, `t=${NOW_S},v2=${right}`, `t=${NOW_S},V1=${right}`]) {
      expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': header }), keys(), tools), 401, 'missing_signature');
    }
    const withWrongV1 = `t=${NOW_S},v1=${'0'.repeat(64)},v0=${right}`;
    expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': withWrongV1 }), keys(), tools), 401, 'bad_signature');
  });

  it('refuses a missing Stripe-Signature header, or one without a single Unix-seconds t or without v1', async () => {
    expectRefused(await stripe.verify(request(INVOICE_PAID, {}), keys(), tools), 401, 'missing_signature');
    const sig = v1(SECRET, NOW_S, INVOICE_PAID);
    for (const header of ['', `v1=${sig}`, `t=${NOW_S}`, `t=${NOW_S},t=${NOW_S},v1=${sig}`, `t=${NOW_S}.5,v1=${sig}`, `t=-${NOW_S},v1=${sig}`, 'garbage']) {
      expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': header }), keys(), tools), 401, 'missing_signature');
    }
  });

  it('accepts an uppercase-hex v1 (hex is case-insensitive) but not a truncated one', async () => {
    const sig = v1(SECRET, NOW_S, INVOICE_PAID);
    expect((await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': `t=${NOW_S},v1=${sig.toUpperCase()}` }), keys(), tools)).kind).toBe('accepted');
    expectRefused(await stripe.verify(request(INVOICE_PAID, { 'stripe-signature': `t=${NOW_S},v1=${sig.slice(0, 63)}` }), keys(), tools), 401, 'bad_signature');
  });

  it('refuses when the source has no secret, rather than checking against an empty key', async () => {
    const emptyKeySigned = request(INVOICE_PAID, { 'stripe-signature': `t=${NOW_S},v1=${v1('', NOW_S, INVOICE_PAID)}` });
    expectRefused(await stripe.verify(emptyKeySigned, keys(''), tools), 401, 'bad_signature');
    expectRefused(await stripe.verify(emptyKeySigned, { options: {} }, tools), 401, 'bad_signature');
  });

  it('refuses a GET with 405', async () => {
    expectRefused(await stripe.verify({ ...signed(INVOICE_PAID), method: 'GET' }, keys(), tools), 405, 'method_not_allowed');
  });

  it('answers 400 for a well-signed body that is not a Stripe event', async () => {
    for (const body of [
      'not json',
      '[1,2]',
      '{"type":"invoice.paid"}',
      '{"id":"evt_1","type":""}',
      '{"id":"evt_1","type":42}',
      '{"id":"","type":"invoice.paid"}',
    ]) {
      expectRefused(await stripe.verify(signed(body), keys(), tools), 400, 'malformed');
    }
  });

  it('normalises the kind and reads an ISO created (v2 event notifications)', async () => {
    const thin = { id: 'evt_test_65R9Ijk8p3', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', created: '2026-03-02T09:29:58.123Z' };
    const verdict = await stripe.verify(signed(JSON.stringify(thin)), keys(), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [{ kind: 'v1.billing.meter.error_report_triggered', id: 'evt_test_65R9Ijk8p3', data: thin, occurredAt: '2026-03-02T09:29:58.123Z' }],
    });
  });

  it('leaves occurredAt out when created is absent or not a time', async () => {
    for (const created of [undefined, 'soon', -5, 1.5]) {
      const verdict = await stripe.verify(signed(JSON.stringify({ id: 'evt_9', type: 'charge.refunded', created })), keys(), tools);
      expect(verdict.kind).toBe('accepted');
      if (verdict.kind === 'accepted') expect(verdict.events[0]).not.toHaveProperty('occurredAt');
    }
  });

  describe('options', () => {
    it('defaults toleranceSeconds to 300', () => {
      expect(stripe.parseOptions(undefined)).toEqual({ toleranceSeconds: 300 });
      expect(stripe.parseOptions({ toleranceSeconds: 120 })).toEqual({ toleranceSeconds: 120 });
    });

    it('refuses an out-of-range or fractional tolerance and unknown options, naming the rule', () => {
      expect(() => stripe.parseOptions({ toleranceSeconds: 0 })).toThrow('toleranceSeconds must be 1-86400 s');
      expect(() => stripe.parseOptions({ toleranceSeconds: 86_401 })).toThrow('toleranceSeconds must be 1-86400 s');
      expect(() => stripe.parseOptions({ toleranceSeconds: 1.5 })).toThrow('whole seconds');
      expect(() => stripe.parseOptions({ toleranceSeconds: '300' })).toThrow('must be a number');
      expect(() => stripe.parseOptions({ tolerance: 300 })).toThrow(/unrecognized key/i);
    });
  });

  describe('kinds catalog', () => {
    it('lists distinct, dot-separated lowercase kinds, each example an Event of that type', () => {
      expect(stripeKinds.length).toBeGreaterThanOrEqual(8);
      expect(new Set(stripeKinds.map((k) => k.kind)).size).toBe(stripeKinds.length);
      for (const { kind, description, example } of stripeKinds) {
        expect(kind).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
        expect(description.length).toBeGreaterThan(10);
        expect(example).toMatchObject({ object: 'event', type: kind, id: expect.stringMatching(/^evt_/), data: { object: expect.any(Object) } });
      }
    });

    it('has examples that the provider itself turns into events of their kind', async () => {
      for (const { kind, example } of stripeKinds) {
        const verdict = await stripe.verify(signed(JSON.stringify(example)), keys(), tools);
        expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind, id: example.id, data: example }] });
      }
    });
  });
});
