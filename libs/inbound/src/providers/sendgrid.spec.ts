import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { sendgrid, sendgridKinds } from './sendgrid';

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('SendGrid verification needs no fetch')),
};

function request(body: string | Buffer, headers: Record<string, string>, receivedAt: Date, method: 'GET' | 'POST' = 'POST'): InboundRequest {
  return {
    method,
    url: 'https://hooks.hookline.example/in/src_sendgrid',
    headers: { 'content-type': 'application/json', ...headers },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    receivedAt,
  };
}

const keysOf = (publicKey: string, options: Record<string, unknown> = {}): SourceKeys => ({ publicKey, options: sendgrid.parseOptions(options) });

function expectRefused(verdict: Verdict, status: number, reason: string): Extract<Verdict, { kind: 'refused' }> {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  return verdict as Extract<Verdict, { kind: 'refused' }>;
}

/** PEM as `openssl` writes it: the base64 DER wrapped at 64 characters between the SPKI armour lines. */
const pemOf = (base64Der: string) => `-----BEGIN PUBLIC KEY-----\n${base64Der.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;

describe('sendgrid: published vectors', () => {
  // Published by Twilio SendGrid in the official Python SDK's Event Webhook tests:
  // https://github.com/sendgrid/sendgrid-python/blob/main/test/unit/test_eventwebhook.py
  // (the payload is json.dumps(..., sort_keys=True, separators=(',', ':')) followed by "\r\n", which the SDK test
  // says to keep: SendGrid signs the body with its trailing CRLF).
  const PY = {
    publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
    signature: 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=',
    timestamp: '1600112502',
    payload:
      '[{"email":"hello@world.com","event":"dropped","reason":"Bounced Address","sg_event_id":"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA",' +
      '"sg_message_id":"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0",' +
      '"smtp-id":"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>","timestamp":1600112492}]\r\n',
    // The SDK tests' "bad key": a valid P-256 key that did not make the signature.
    otherKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==',
  };
  // Published in the official Node.js SDK's tests (@sendgrid/eventwebhook):
  // https://github.com/sendgrid/sendgrid-nodejs/blob/main/packages/eventwebhook/src/eventwebhook.spec.js
  const NODE = {
    publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
    signature: 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
    timestamp: '1588788367',
    payload: JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' }),
  };
  const headersOf = (v: { signature: string; timestamp: string }) => ({
    'x-twilio-email-event-webhook-signature': v.signature,
    'x-twilio-email-event-webhook-timestamp': v.timestamp,
  });
  const soonAfter = (timestamp: string, seconds = 3) => new Date((Number(timestamp) + seconds) * 1000);

  it('accepts the Python SDK vector and turns its one event into a Hookline event', async () => {
    const verdict = await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp)), keysOf(PY.publicKey), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [
        {
          kind: 'dropped',
          id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
          occurredAt: '2020-09-14T19:41:32.000Z',
          data: {
            email: 'hello@world.com',
            event: 'dropped',
            reason: 'Bounced Address',
            sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
            sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
            'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
            timestamp: 1600112492,
          },
        },
      ],
    });
  });

  it('accepts the same key given as PEM', async () => {
    const verdict = await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp)), keysOf(pemOf(PY.publicKey)), tools);
    expect(verdict.kind).toBe('accepted');
  });

  it('verifies the raw bytes: the body without its trailing CRLF is refused', async () => {
    const verdict = await sendgrid.verify(request(PY.payload.trimEnd(), headersOf(PY), soonAfter(PY.timestamp)), keysOf(PY.publicKey), tools);
    expectRefused(verdict, 401, 'bad_signature');
  });

  it('refuses a tampered body', async () => {
    const tampered = PY.payload.replace('"dropped"', '"delivered"');
    expect(tampered).not.toBe(PY.payload);
    expectRefused(await sendgrid.verify(request(tampered, headersOf(PY), soonAfter(PY.timestamp)), keysOf(PY.publicKey), tools), 401, 'bad_signature');
  });

  it('refuses the vector under a different verification key', async () => {
    expectRefused(await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp)), keysOf(PY.otherKey), tools), 401, 'bad_signature');
  });

  it('signs the timestamp: another timestamp with the same signature is refused', async () => {
    const headers = { ...headersOf(PY), 'x-twilio-email-event-webhook-timestamp': '1600112503' };
    expectRefused(await sendgrid.verify(request(PY.payload, headers, soonAfter(PY.timestamp)), keysOf(PY.publicKey), tools), 401, 'bad_signature');
  });

  it('refuses the authentic vector once it is older than the tolerance (600 s by default)', async () => {
    const accepted = await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp, 600)), keysOf(PY.publicKey), tools);
    expect(accepted.kind).toBe('accepted');
    const stale = await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp, 601)), keysOf(PY.publicKey), tools);
    expectRefused(stale, 401, 'stale_timestamp');
    const early = await sendgrid.verify(request(PY.payload, headersOf(PY), soonAfter(PY.timestamp, -601)), keysOf(PY.publicKey), tools);
    expectRefused(early, 401, 'stale_timestamp');
    const strict = await sendgrid.verify(
      request(PY.payload, headersOf(PY), soonAfter(PY.timestamp, 61)),
      keysOf(PY.publicKey, { toleranceSeconds: 60 }),
      tools,
    );
    expectRefused(strict, 401, 'stale_timestamp');
  });

  it('verifies the Node SDK vector, then refuses its body as malformed: it is one object, not an array of events', async () => {
    const verdict = await sendgrid.verify(request(NODE.payload, headersOf(NODE), soonAfter(NODE.timestamp)), keysOf(NODE.publicKey), tools);
    expectRefused(verdict, 400, 'malformed');
    const tampered = NODE.payload.replace('test_event', 'test_evenT');
    expectRefused(await sendgrid.verify(request(tampered, headersOf(NODE), soonAfter(NODE.timestamp)), keysOf(NODE.publicKey), tools), 401, 'bad_signature');
  });
});

describe('sendgrid: requests signed in the test', () => {
  let privateKey: KeyObject;
  let publicKey: string;
  let otherPublicKey: string;
  const now = new Date('2026-03-02T09:30:00.000Z');
  const nowSeconds = String(now.getTime() / 1000);

  beforeAll(() => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    privateKey = pair.privateKey;
    publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    otherPublicKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  });

  /** As SendGrid documents it: ECDSA P-256 with SHA-256 over the timestamp followed by the body, DER, base64. */
  function signed(body: string, timestamp = nowSeconds, key: KeyObject = privateKey) {
    const signature = createSign('sha256')
      .update(timestamp + body, 'utf8')
      .sign(key)
      .toString('base64');
    return { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
  }

  const batch = [
    {
      email: 'ada@example.com',
      timestamp: 1772443740,
      'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
      event: 'delivered',
      sg_event_id: 'ZGVsaXZlcmVkLTEtMTIzNDU2Nzg5',
      sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      response: '250 OK',
    },
    {
      email: 'ada@example.com',
      timestamp: 1772443790,
      event: 'open',
      sg_event_id: 'b3Blbi0xLTEyMzQ1Njc4OQ',
      sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      useragent: 'Mozilla/5.0',
      ip: '203.0.113.7',
    },
    { email: 'grace@example.com', timestamp: 1772443795, event: 'group_unsubscribe', asm_group_id: 7, sg_event_id: 'Z3JvdXBfdW5zdWItMQ' },
  ];
  const body = JSON.stringify(batch);

  it('accepts a signed batch, one Hookline event per SendGrid event', async () => {
    const verdict = await sendgrid.verify(request(body, signed(body), now), keysOf(publicKey), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [
        { kind: 'delivered', id: 'ZGVsaXZlcmVkLTEtMTIzNDU2Nzg5', occurredAt: '2026-03-02T09:29:00.000Z', data: batch[0] },
        { kind: 'open', id: 'b3Blbi0xLTEyMzQ1Njc4OQ', occurredAt: '2026-03-02T09:29:50.000Z', data: batch[1] },
        { kind: 'group_unsubscribe', id: 'Z3JvdXBfdW5zdWItMQ', occurredAt: '2026-03-02T09:29:55.000Z', data: batch[2] },
      ],
    });
  });

  it('accepts an empty batch as no events, and an event without sg_event_id without an id', async () => {
    expect(await sendgrid.verify(request('[]', signed('[]'), now), keysOf(publicKey), tools)).toEqual({ kind: 'accepted', events: [] });
    const single = JSON.stringify([{ email: 'ada@example.com', event: 'processed', timestamp: 1772443740 }]);
    const verdict = await sendgrid.verify(request(single, signed(single), now), keysOf(publicKey), tools);
    expect(verdict).toEqual({
      kind: 'accepted',
      events: [{ kind: 'processed', occurredAt: '2026-03-02T09:29:00.000Z', data: { email: 'ada@example.com', event: 'processed', timestamp: 1772443740 } }],
    });
  });

  it('refuses a tampered body', async () => {
    const headers = signed(body);
    const tampered = body.replace('ada@example.com', 'eve@example.com');
    expectRefused(await sendgrid.verify(request(tampered, headers, now), keysOf(publicKey), tools), 401, 'bad_signature');
  });

  it('refuses a request signed with another key', async () => {
    expectRefused(await sendgrid.verify(request(body, signed(body), now), keysOf(otherPublicKey), tools), 401, 'bad_signature');
  });

  it('refuses an authentic request whose timestamp is stale or too far ahead', async () => {
    const old = String(Number(nowSeconds) - 3600);
    expectRefused(await sendgrid.verify(request(body, signed(body, old), now), keysOf(publicKey), tools), 401, 'stale_timestamp');
    const ahead = String(Number(nowSeconds) + 3600);
    expectRefused(await sendgrid.verify(request(body, signed(body, ahead), now), keysOf(publicKey), tools), 401, 'stale_timestamp');
  });

  it('refuses a request missing either header, or with a timestamp that is not Unix seconds', async () => {
    const headers = signed(body);
    const withoutSignature = { 'x-twilio-email-event-webhook-timestamp': headers['x-twilio-email-event-webhook-timestamp'] };
    const withoutTimestamp = { 'x-twilio-email-event-webhook-signature': headers['x-twilio-email-event-webhook-signature'] };
    expectRefused(await sendgrid.verify(request(body, withoutSignature, now), keysOf(publicKey), tools), 401, 'missing_signature');
    expectRefused(await sendgrid.verify(request(body, withoutTimestamp, now), keysOf(publicKey), tools), 401, 'missing_signature');
    const isoTimestamp = { ...headers, 'x-twilio-email-event-webhook-timestamp': now.toISOString() };
    expectRefused(await sendgrid.verify(request(body, isoTimestamp, now), keysOf(publicKey), tools), 401, 'bad_signature');
    const notDer = { ...headers, 'x-twilio-email-event-webhook-signature': Buffer.from('not a signature').toString('base64') };
    expectRefused(await sendgrid.verify(request(body, notDer, now), keysOf(publicKey), tools), 401, 'bad_signature');
  });

  it('refuses a GET', async () => {
    expectRefused(await sendgrid.verify(request('', {}, now, 'GET'), keysOf(publicKey), tools), 405, 'method_not_allowed');
  });

  it('refuses a signed body that is not a JSON array of objects as malformed', async () => {
    for (const bad of ['not json', '{"event":"open"}', '[{"event":"open"}, 3]']) {
      expectRefused(await sendgrid.verify(request(bad, signed(bad), now), keysOf(publicKey), tools), 400, 'malformed');
    }
  });

  it('refuses every request while the source holds something other than a P-256 public key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const key of ['', 'not a key', rsa, p384]) {
      const refused = expectRefused(await sendgrid.verify(request(body, signed(body), now), keysOf(key), tools), 401, 'bad_signature');
      expect(refused.detail).toMatch(/verification key/);
    }
  });

  it('never puts the signature, the key or the body in a refusal detail', async () => {
    const headers = signed(body);
    const cases: [InboundRequest, SourceKeys][] = [
      [request(body.replace('ada', 'eve'), headers, now), keysOf(publicKey)],
      [request(body, headers, now), keysOf(otherPublicKey)],
      [request(body, signed(body, String(Number(nowSeconds) - 3600)), now), keysOf(publicKey)],
      [request('nope', signed('nope'), now), keysOf(publicKey)],
    ];
    for (const [req, keys] of cases) {
      const verdict = await sendgrid.verify(req, keys, tools);
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      for (const secretish of [headers['x-twilio-email-event-webhook-signature'], publicKey, otherPublicKey, 'ada@example.com', 'nope'])
        expect(verdict.detail).not.toContain(secretish);
    }
  });

  it('turns every catalog example into its own kind, with its sg_event_id as id', async () => {
    const examples = JSON.stringify(sendgridKinds.map((k) => k.example));
    const verdict = await sendgrid.verify(request(examples, signed(examples), now), keysOf(publicKey), tools);
    expect(verdict.kind).toBe('accepted');
    const events = verdict.kind === 'accepted' ? verdict.events : [];
    expect(events.map((e) => e.kind)).toEqual(sendgridKinds.map((k) => k.kind));
    expect(events.map((e) => e.id)).toEqual(sendgridKinds.map((k) => k.example.sg_event_id));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(sendgridKinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining([
        'delivered',
        'open',
        'click',
        'bounce',
        'dropped',
        'deferred',
        'processed',
        'spamreport',
        'unsubscribe',
        'group_unsubscribe',
        'group_resubscribe',
      ]),
    );
  });
});

describe('sendgrid: options', () => {
  it('defaults the tolerance to 600 s and names the rule it breaks', () => {
    expect(sendgrid.parseOptions(undefined)).toEqual({ toleranceSeconds: 600 });
    expect(sendgrid.parseOptions({ toleranceSeconds: 120 })).toEqual({ toleranceSeconds: 120 });
    expect(() => sendgrid.parseOptions({ toleranceSeconds: 0 })).toThrow(/1-86400/);
    expect(() => sendgrid.parseOptions({ toleranceSeconds: 1.5 })).toThrow(/whole number/);
    expect(() => sendgrid.parseOptions({ tolerance: 60 })).toThrow(/tolerance/);
  });
});
