import { createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, Verdict } from '../provider';
import { plivo, plivoKinds } from './plivo';

// No published V3 vector matches Plivo's current algorithm: the one in
// plivo-go's utils_test.go and plivo-ruby's spec/signature_spec.rb
// (https://answer.url, nonce 12345, GET, rXj4UwTS…) was computed by an
// earlier, since replaced construction (`<url>/?<unsorted query>&.<nonce>`).
// Every request here is signed by the test itself, following plivo-python's
// validate_v3_signature as written out below.

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('Plivo verification fetches nothing')),
};
const TOKEN = 'ZWFkYjM0NjctZjRmZi00YzVhLWJlYzktM2QyNjk3';
const MAIN_TOKEN = 'MGQ5ZWI4NzMtYTA2Zi00Mzk4LWE0YmYtMDYzMWY3';
const BASE = 'https://hooks.hookline.example/in/plivo/src_456';
const NONCE = '05429567804466091622';
const receivedAt = new Date('2026-03-01T12:00:00Z');

/** Plivo V3, written out on its own: HMAC-SHA256 of the signed URL + "." + nonce under the auth token, base64. */
const v3 = (token: string, signedUrl: string, nonce: string) => createHmac('sha256', token).update(`${signedUrl}.${nonce}`).digest('base64');

/** The signed URL of a POST with parameters and no query: base, "?", then each name and value concatenated in name order. */
function postUrl(base: string, params: Record<string, string>): string {
  return `${base}?${Object.keys(params)
    .sort()
    .map((name) => name + params[name])
    .join('')}`;
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

function request(url: string, body: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'POST'): InboundRequest {
  return { method, url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, rawBody: Buffer.from(body, 'utf8'), receivedAt };
}

/** A POST of `params` to BASE, signed with `token`. */
function signedPost(params: Record<string, string>, token = TOKEN, nonce = NONCE): InboundRequest {
  return request(BASE, form(params), { 'x-plivo-signature-v3': v3(token, postUrl(BASE, params), nonce), 'x-plivo-signature-v3-nonce': nonce });
}

const verify = (req: InboundRequest, secret: string | undefined = TOKEN, options: Record<string, unknown> = {}) =>
  plivo.verify(req, { secret, options: plivo.parseOptions(options) }, tools);

function accepted(verdict: Verdict) {
  if (verdict.kind !== 'accepted') throw new Error(`expected an accepted verdict, got ${JSON.stringify(verdict)}`);
  return verdict;
}

describe('plivo', () => {
  describe('callbacks signed here', () => {
    it('turns a delivery report into message_status with id MessageUUID:Status', async () => {
      const params = { MessageUUID: '2f4a6c8e-1b3d-11ef-9a7c-0242ac110002', Status: 'delivered', From: '14155550100', To: '14155550123', Units: '1' };
      const verdict = accepted(await verify(signedPost(params)));
      expect(verdict.events).toEqual([{ kind: 'message_status', id: '2f4a6c8e-1b3d-11ef-9a7c-0242ac110002:delivered', data: params }]);
    });

    it('turns an inbound SMS into message with id MessageUUID, its text decoded', async () => {
      const params = { MessageUUID: '7a9c1e3f-1b3d-11ef-8f2b-0242ac110003', From: '14155550123', To: '14155550100', Type: 'sms', Text: 'Grüße & 1+1=2' };
      const verdict = accepted(await verify(signedPost(params)));
      expect(verdict.events).toEqual([{ kind: 'message', id: '7a9c1e3f-1b3d-11ef-8f2b-0242ac110003', data: params }]);
    });

    it('turns a hangup callback into call_status with id CallUUID:CallStatus', async () => {
      const params = { CallUUID: '4c1e7a9b-1b3d-11ef-b5d1-0242ac110004', CallStatus: 'completed', Event: 'Hangup', Duration: '42' };
      const verdict = accepted(await verify(signedPost(params)));
      expect(verdict.events).toEqual([{ kind: 'call_status', id: '4c1e7a9b-1b3d-11ef-b5d1-0242ac110004:completed', data: params }]);
    });

    it('gives each status of one message its own id, and the same callback again the same id (no timestamp is signed)', async () => {
      const ids: (string | undefined)[] = [];
      for (const Status of ['queued', 'sent', 'delivered', 'delivered']) {
        ids.push(accepted(await verify(signedPost({ MessageUUID: 'm-1', Status }, TOKEN, `n-${Status}-${ids.length}`))).events[0].id);
      }
      expect(ids).toEqual(['m-1:queued', 'm-1:sent', 'm-1:delivered', 'm-1:delivered']);
    });

    it('signs the URL query as sorted name=value pairs, then "." and the POST parameters', async () => {
      const url = `${BASE}?tenant=acme&source=sms`;
      const params = { MessageUUID: 'm-2', Status: 'sent' };
      const signedUrl = `${BASE}?source=sms&tenant=acme.MessageUUIDm-2Statussent`;
      const verdict = accepted(
        await verify(request(url, form(params), { 'x-plivo-signature-v3': v3(TOKEN, signedUrl, NONCE), 'x-plivo-signature-v3-nonce': NONCE })),
      );
      expect(verdict.events[0].data).toEqual(params);
    });

    it('signs a POST without parameters as the URL alone (no "?" without a query)', async () => {
      accepted(await verify(request(BASE, '', { 'x-plivo-signature-v3': v3(TOKEN, BASE, NONCE), 'x-plivo-signature-v3-nonce': NONCE })));
      const url = `${BASE}?b=2&a=1`;
      const verdict = accepted(
        await verify(request(url, '', { 'x-plivo-signature-v3': v3(TOKEN, `${BASE}?a=1&b=2`, NONCE), 'x-plivo-signature-v3-nonce': NONCE })),
      );
      expect(verdict.events).toEqual([{ kind: 'callback', data: {} }]);
    });

    it('accepts a query value signed decoded (plivo-python) or as it appears in the URL (plivo-go)', async () => {
      const url = `${BASE}?note=a%20b`;
      const params = { MessageUUID: 'm-3', Status: 'sent' };
      for (const query of ['note=a b', 'note=a%20b']) {
        const signature = v3(TOKEN, `${BASE}?${query}.MessageUUIDm-3Statussent`, NONCE);
        accepted(await verify(request(url, form(params), { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': NONCE })));
      }
    });

    it('sorts a repeated parameter’s values and keeps them all in data', async () => {
      const body = 'MessageUUID=m-4&Tag=b&Tag=a';
      const signature = v3(TOKEN, `${BASE}?MessageUUIDm-4TagaTagb`, NONCE);
      const verdict = accepted(await verify(request(BASE, body, { 'x-plivo-signature-v3': signature, 'x-plivo-signature-v3-nonce': NONCE })));
      expect(verdict.events).toEqual([{ kind: 'message', id: 'm-4', data: { MessageUUID: 'm-4', Tag: ['b', 'a'] } }]);
    });

    it('accepts any one of several comma-separated signatures (one per active auth token)', async () => {
      const params = { MessageUUID: 'm-5', Status: 'failed' };
      const signatures = `${v3('an-older-token', postUrl(BASE, params), NONCE)}, ${v3(TOKEN, postUrl(BASE, params), NONCE)}`;
      accepted(await verify(request(BASE, form(params), { 'x-plivo-signature-v3': signatures, 'x-plivo-signature-v3-nonce': NONCE })));
    });

    it('accepts X-Plivo-Signature-Ma-V3 for a source holding the main account’s token', async () => {
      const params = { MessageUUID: 'm-6', Status: 'delivered' };
      const headers = {
        'x-plivo-signature-v3': v3(TOKEN, postUrl(BASE, params), NONCE),
        'x-plivo-signature-ma-v3': v3(MAIN_TOKEN, postUrl(BASE, params), NONCE),
        'x-plivo-signature-v3-nonce': NONCE,
      };
      accepted(await verify(request(BASE, form(params), headers), MAIN_TOKEN));
      accepted(await verify(request(BASE, form(params), headers), TOKEN));
      expect(await verify(request(BASE, form(params), headers), 'a-third-token')).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('verifies a GET (with allowGet) over its sorted query, its fields as data', async () => {
      const url = `${BASE}?Status=delivered&MessageUUID=m-7`;
      const get = request(
        url,
        '',
        { 'x-plivo-signature-v3': v3(TOKEN, `${BASE}?MessageUUID=m-7&Status=delivered`, NONCE), 'x-plivo-signature-v3-nonce': NONCE },
        'GET',
      );
      const verdict = accepted(await verify(get, TOKEN, { allowGet: true }));
      expect(verdict.events).toEqual([{ kind: 'message_status', id: 'm-7:delivered', data: { Status: 'delivered', MessageUUID: 'm-7' } }]);
      expect(await verify({ ...get, url: url.replace('delivered', 'failed') }, TOKEN, { allowGet: true })).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
    });

    it('every catalog example becomes its own kind', async () => {
      for (const { kind, example } of plivoKinds) {
        const verdict = accepted(await verify(signedPost(example as Record<string, string>)));
        expect(verdict.events.map((e) => e.kind)).toEqual([kind]);
      }
    });
  });

  describe('refusals', () => {
    const params = { MessageUUID: 'm-8', Status: 'delivered', To: '14155550123' };

    it('refuses a tampered body with 401 bad_signature', async () => {
      const req = { ...signedPost(params), rawBody: Buffer.from(form({ ...params, Status: 'failed' })) };
      expect(await verify(req)).toEqual({ kind: 'refused', status: 401, reason: 'bad_signature', detail: expect.any(String) });
    });

    it('refuses another nonce, another URL, and a parameter added with 401 bad_signature (the nonce is signed)', async () => {
      const good = signedPost(params);
      expect(await verify({ ...good, headers: { ...good.headers, 'x-plivo-signature-v3-nonce': '99999999999999999999' } })).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
      expect(await verify({ ...good, url: `${BASE}x` })).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify({ ...good, rawBody: Buffer.from(`${form(params)}&Extra=1`) })).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a signature made with another auth token with 401 bad_signature, the detail naming neither', async () => {
      const verdict = await verify(signedPost(params, 'another-token'));
      expect(verdict).toMatchObject({ kind: 'refused', status: 401, reason: 'bad_signature' });
      const detail = (verdict as { detail: string }).detail;
      expect(detail).not.toContain(TOKEN);
      expect(detail).not.toContain(v3(TOKEN, postUrl(BASE, params), NONCE));
      expect(detail).not.toContain('m-8');
    });

    it('refuses a missing signature or nonce header with 401 missing_signature', async () => {
      const good = signedPost(params);
      const { 'x-plivo-signature-v3': _signature, ...noSignature } = good.headers;
      const { 'x-plivo-signature-v3-nonce': _nonce, ...noNonce } = good.headers;
      expect(await verify({ ...good, headers: noSignature })).toMatchObject({ kind: 'refused', status: 401, reason: 'missing_signature' });
      expect(await verify({ ...good, headers: noNonce })).toMatchObject({ kind: 'refused', status: 401, reason: 'missing_signature' });
      expect(await verify({ ...good, headers: { ...good.headers, 'x-plivo-signature-v3': ' , ' } })).toMatchObject({ reason: 'missing_signature' });
    });

    it('refuses everything when the source has no auth token', async () => {
      expect(await verify(signedPost(params, ''), undefined)).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(signedPost(params, ''), '')).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a GET with 405 unless allowGet', async () => {
      const get = request(
        `${BASE}?MessageUUID=m-9`,
        '',
        { 'x-plivo-signature-v3': v3(TOKEN, `${BASE}?MessageUUID=m-9`, NONCE), 'x-plivo-signature-v3-nonce': NONCE },
        'GET',
      );
      expect(await verify(get)).toMatchObject({ kind: 'refused', status: 405, reason: 'method_not_allowed' });
      accepted(await verify(get, TOKEN, { allowGet: true }));
    });
  });

  describe('options', () => {
    it('defaults allowGet to false and refuses unknown or mistyped options, naming the rule', () => {
      expect(plivo.parseOptions(undefined)).toEqual({ allowGet: false });
      expect(() => plivo.parseOptions({ allowGet: 1 })).toThrow('allowGet must be true or false');
      expect(() => plivo.parseOptions({ version: 'v2' })).toThrow(/version/);
    });
  });
});
