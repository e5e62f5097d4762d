import { createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, SourceKeys, Verdict } from '../provider';
import { github, githubKinds } from './github';

const SECRET = 'gh-webhook-secret-4f9a7c1e2b8d';
const NOW = new Date('2026-03-02T09:30:00.000Z');
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('GitHub verification must not fetch anything')),
};

/** GitHub's documented scheme, written out here independently of the provider: `sha256=` + hex HMAC-SHA256 of the body. */
const sign = (secret: string, body: string | Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const keys = (secret: string | undefined = SECRET): SourceKeys => ({ secret, options: github.parseOptions({}) });

function request(body: string | Buffer, headers: Record<string, string>, overrides: Partial<InboundRequest> = {}): InboundRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.com/in/src_github',
    headers: { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/4c0b2d1', 'x-github-hook-id': '482736191', ...headers },
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    receivedAt: NOW,
    ...overrides,
  };
}

/** A delivery of `event` signed with `secret`, as GitHub sends it. */
const delivery = (event: string, body: string, secret = SECRET, extra: Record<string, string> = {}) =>
  request(body, { 'x-github-event': event, 'x-github-delivery': DELIVERY, 'x-hub-signature-256': sign(secret, body), ...extra });

const pullRequestOpened = {
  action: 'opened',
  number: 128,
  pull_request: { id: 1754318290, number: 128, state: 'open', title: 'Add Stripe inbound provider — «é»', head: { ref: 'inbound-stripe' } },
  repository: { id: 718902345, full_name: 'acme/hookline-demo' },
  sender: { login: 'octocat', id: 583231 },
};
const PR_OPENED = JSON.stringify(pullRequestOpened, null, 2);

function expectRefused(verdict: Verdict, status: number, reason: string) {
  expect(verdict).toMatchObject({ kind: 'refused', status, reason });
  if (verdict.kind !== 'refused') return;
  expect(verdict.detail).not.toContain(SECRET);
  expect(verdict.detail).not.toMatch(/[0-9a-f]{64}/);
  expect(verdict.detail).not.toContain('octocat');
}

describe('github provider', () => {
  // GitHub's published test values, "Testing the webhook payload validation":
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
  describe('GitHub\'s published vector (secret "It\'s a Secret to Everybody", payload "Hello, World!")', () => {
    const vectorKeys: SourceKeys = { secret: "It's a Secret to Everybody", options: {} };
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

    it('holds: the signature passes and only then is the (non-JSON) payload refused as malformed', async () => {
      const verdict = await github.verify(request('Hello, World!', { 'x-github-event': 'ping', 'x-hub-signature-256': header }), vectorKeys, tools);
      expectRefused(verdict, 400, 'malformed');
    });

    it('fails with one hex digit changed, or with the payload changed', async () => {
      const changed = header.slice(0, -1) + '8';
      expectRefused(
        await github.verify(request('Hello, World!', { 'x-github-event': 'ping', 'x-hub-signature-256': changed }), vectorKeys, tools),
        401,
        'bad_signature',
      );
      expectRefused(
        await github.verify(request('Hello, World?', { 'x-github-event': 'ping', 'x-hub-signature-256': header }), vectorKeys, tools),
        401,
        'bad_signature',
      );
    });
  });

  it('accepts a signed pull_request delivery: kind = event.action, id = X-GitHub-Delivery, data = the payload', async () => {
    const verdict = await github.verify(delivery('pull_request', PR_OPENED), keys(), tools);
    expect(verdict).toEqual({ kind: 'accepted', events: [{ kind: 'pull_request.opened', id: DELIVERY, data: pullRequestOpened }] });
  });

  it('names an event without an action by X-GitHub-Event alone (push)', async () => {
    const push = { ref: 'refs/heads/main', before: '6113728f', after: '0d1a26e6', commits: [], repository: { full_name: 'acme/hookline-demo' } };
    const verdict = await github.verify(delivery('push', JSON.stringify(push)), keys(), tools);
    expect(verdict).toEqual({ kind: 'accepted', events: [{ kind: 'push', id: DELIVERY, data: push }] });
  });

  it('accepts the ping sent when a webhook is created as an event ping', async () => {
    const ping = { zen: 'Keep it logically awesome.', hook_id: 482736191, hook: { type: 'Repository', events: ['push'] } };
    const verdict = await github.verify(delivery('ping', JSON.stringify(ping)), keys(), tools);
    expect(verdict).toEqual({ kind: 'accepted', events: [{ kind: 'ping', id: DELIVERY, data: ping }] });
  });

  it('ignores an action that is not a string', async () => {
    const odd = { action: { nested: true }, zen: 'x' };
    const verdict = await github.verify(delivery('security_advisory', JSON.stringify(odd)), keys(), tools);
    expect(verdict).toMatchObject({ kind: 'accepted', events: [{ kind: 'security_advisory' }] });
  });

  it('reads a form-encoded delivery (content type application/x-www-form-urlencoded) from its payload field, signed over the whole form', async () => {
    const form = `payload=${encodeURIComponent(PR_OPENED)}`;
    const verdict = await github.verify(delivery('pull_request', form, SECRET, { 'content-type': 'application/x-www-form-urlencoded' }), keys(), tools);
    expect(verdict).toEqual({ kind: 'accepted', events: [{ kind: 'pull_request.opened', id: DELIVERY, data: pullRequestOpened }] });
    // The signature covers the form body, not the JSON inside it.
    const signedJsonOnly = request(form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'pull_request',
      'x-github-delivery': DELIVERY,
      'x-hub-signature-256': sign(SECRET, PR_OPENED),
    });
    expectRefused(await github.verify(signedJsonOnly, keys(), tools), 401, 'bad_signature');
  });

  it('signs the raw bytes: the same JSON re-serialised is refused', async () => {
    const good = delivery('pull_request', PR_OPENED);
    expectRefused(await github.verify({ ...good, rawBody: Buffer.from(JSON.stringify(pullRequestOpened)) }, keys(), tools), 401, 'bad_signature');
  });

  it('refuses a tampered body', async () => {
    const good = delivery('pull_request', PR_OPENED);
    expectRefused(await github.verify({ ...good, rawBody: Buffer.from(PR_OPENED.replace('"opened"', '"closed"')) }, keys(), tools), 401, 'bad_signature');
  });

  it('refuses a delivery signed with another secret', async () => {
    expectRefused(await github.verify(delivery('pull_request', PR_OPENED, 'not-the-webhook-secret'), keys(), tools), 401, 'bad_signature');
  });

  it('refuses a missing X-Hub-Signature-256, even with a valid legacy SHA-1 X-Hub-Signature', async () => {
    expectRefused(
      await github.verify(request(PR_OPENED, { 'x-github-event': 'pull_request', 'x-github-delivery': DELIVERY }), keys(), tools),
      401,
      'missing_signature',
    );
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(PR_OPENED).digest('hex')}`;
    const legacyOnly = request(PR_OPENED, { 'x-github-event': 'pull_request', 'x-github-delivery': DELIVERY, 'x-hub-signature': sha1 });
    expectRefused(await github.verify(legacyOnly, keys(), tools), 401, 'missing_signature');
  });

  it('refuses a signature without its sha256= prefix, with another prefix, or truncated', async () => {
    const hex = sign(SECRET, PR_OPENED).slice('sha256='.length);
    for (const header of [hex, `sha1=${hex}`, `sha512=${hex}`, `sha256=${hex.slice(0, 63)}`, 'sha256=']) {
      const verdict = await github.verify(request(PR_OPENED, { 'x-github-event': 'pull_request', 'x-hub-signature-256': header }), keys(), tools);
      expectRefused(verdict, 401, 'bad_signature');
    }
  });

  it('tolerates surrounding whitespace and uppercase hex in the header', async () => {
    const header = ` ${sign(SECRET, PR_OPENED).toUpperCase()} `;
    const verdict = await github.verify(request(PR_OPENED, { 'x-github-event': 'pull_request', 'x-hub-signature-256': header }), keys(), tools);
    expect(verdict.kind).toBe('accepted');
  });

  it('refuses when the source has no secret, rather than checking against an empty key', async () => {
    const emptyKeySigned = delivery('pull_request', PR_OPENED, '');
    expectRefused(await github.verify(emptyKeySigned, keys(''), tools), 401, 'bad_signature');
    expectRefused(await github.verify(emptyKeySigned, { options: {} }, tools), 401, 'bad_signature');
  });

  it('refuses a GET with 405', async () => {
    expectRefused(await github.verify({ ...delivery('ping', '{}'), method: 'GET' }, keys(), tools), 405, 'method_not_allowed');
  });

  it('answers 400 for a well-signed delivery without X-GitHub-Event or without a JSON object payload', async () => {
    const body = JSON.stringify({ zen: 'x' });
    expectRefused(await github.verify(request(body, { 'x-hub-signature-256': sign(SECRET, body) }), keys(), tools), 400, 'malformed');
    expectRefused(await github.verify(delivery('  ', body), keys(), tools), 400, 'malformed');
    for (const bad of ['not json', '[]', 'null']) expectRefused(await github.verify(delivery('push', bad), keys(), tools), 400, 'malformed');
    const noPayloadField = delivery('push', 'other=1', SECRET, { 'content-type': 'application/x-www-form-urlencoded' });
    expectRefused(await github.verify(noPayloadField, keys(), tools), 400, 'malformed');
  });

  it('leaves the id out when X-GitHub-Delivery is absent', async () => {
    const body = JSON.stringify({ zen: 'x' });
    const verdict = await github.verify(request(body, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(SECRET, body) }), keys(), tools);
    expect(verdict).toEqual({ kind: 'accepted', events: [{ kind: 'ping', data: { zen: 'x' } }] });
  });

  it('takes no options', () => {
    expect(github.parseOptions(undefined)).toEqual({});
    expect(() => github.parseOptions({ secret: 'x' })).toThrow(/unrecognized key/i);
  });

  describe('kinds catalog', () => {
    it('lists distinct, dot-separated lowercase kinds including ping, each example consistent with its kind', () => {
      expect(githubKinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['ping', 'push', 'pull_request.opened']));
      expect(new Set(githubKinds.map((k) => k.kind)).size).toBe(githubKinds.length);
      for (const { kind, description, example } of githubKinds) {
        expect(kind).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)?$/);
        expect(description.length).toBeGreaterThan(10);
        const action = kind.split('.')[1];
        if (action) expect(example.action).toBe(action);
        else expect(example).not.toHaveProperty('action');
      }
    });

    it('has examples that the provider itself turns into events of their kind', async () => {
      for (const { kind, example } of githubKinds) {
        const verdict = await github.verify(delivery(kind.split('.')[0], JSON.stringify(example)), keys(), tools);
        expect(verdict).toEqual({ kind: 'accepted', events: [{ kind, id: DELIVERY, data: example }] });
      }
    });
  });
});
