import { createHash, createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, Verdict } from '../provider';
import { twilio, twilioKinds } from './twilio';

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('Twilio verification fetches nothing')),
};
const receivedAt = new Date('2026-03-01T12:00:00Z');
const TOKEN = 'a3f1c2e4b5d6978812ab34cd56ef7890';
const URL_ = 'https://hooks.hookline.example/in/twilio/src_123?tenant=acme';
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const request = (url: string, body: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'POST'): InboundRequest => ({
  method,
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  rawBody: Buffer.from(body, 'utf8'),
  receivedAt,
});

const verify = (req: InboundRequest, secret: string | undefined = TOKEN, options: Record<string, unknown> = {}) =>
  twilio.verify(req, { secret, options: twilio.parseOptions(options) }, tools);

/** Twilio's documented algorithm, written out here on its own: URL, then each parameter's name and value sorted by name, HMAC-SHA1 under the auth token, base64. */
function twilioSignature(token: string, url: string, params: Record<string, string>, hash: 'sha1' | 'sha256' = 'sha1'): string {
  let signed = url;
  for (const name of Object.keys(params).sort()) signed += name + params[name];
  return createHmac(hash, token).update(signed).digest('base64');
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

function accepted(verdict: Verdict) {
  if (verdict.kind !== 'accepted') throw new Error(`expected an accepted verdict, got ${JSON.stringify(verdict)}`);
  return verdict;
}

// The example from Twilio's security documentation
// (https://www.twilio.com/docs/usage/security#validating-requests), also the
// fixture of the official SDKs' tests (twilio-python
// tests/unit/test_request_validator.py, twilio-php RequestValidatorTest,
// twilio-csharp RequestValidatorTest): auth token 12345, this URL and these
// POST parameters give this signature.
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const DOC_SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('twilio', () => {
  describe("Twilio's published vectors", () => {
    it('accepts the documented example (token 12345, mycompany.com/myapp.php) and answers with empty TwiML', async () => {
      const verdict = accepted(await verify(request(DOC_URL, form(DOC_PARAMS), { 'x-twilio-signature': DOC_SIGNATURE }), DOC_TOKEN));
      expect(verdict.events).toEqual([{ kind: 'callback', data: DOC_PARAMS }]);
      expect(verdict.answer).toEqual({ status: 200, contentType: 'text/xml', body: TWIML });
    });

    it('accepts the documented example with its parameters in another order in the body', async () => {
      const body = 'To=%2B18005551212&Digits=1234&From=%2B14158675309&CallSid=CA1234567890ABCDE&Caller=%2B14158675309';
      accepted(await verify(request(DOC_URL, body, { 'x-twilio-signature': DOC_SIGNATURE }), DOC_TOKEN));
    });

    it('refuses the documented signature under another token, for another URL, or with one parameter changed', async () => {
      const headers = { 'x-twilio-signature': DOC_SIGNATURE };
      expect(await verify(request(DOC_URL, form(DOC_PARAMS), headers), '12346')).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(request(`${DOC_URL}&baz=3`, form(DOC_PARAMS), headers), DOC_TOKEN)).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(request(DOC_URL, form({ ...DOC_PARAMS, Digits: '1235' }), headers), DOC_TOKEN)).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
    });

    // twilio-python tests/unit/test_request_validator.py, test_compute_signature_duplicate_*:
    // a repeated name's values are sorted and each appended after the name.
    it('accepts the SDK vector for a repeated parameter and keeps every value in data', async () => {
      const body = 'Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234';
      const verdict = accepted(await verify(request(DOC_URL, body, { 'x-twilio-signature': 'IK+Dwps556ElfBT0I3Rgjkr1wJU=' }), DOC_TOKEN));
      expect(verdict.events[0].data).toEqual({ Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] });
    });

    // twilio-python test_validation_of_body_succeeds: the JSON-body variant,
    // signed over the URL carrying bodySHA256 (hex SHA-256 of the body).
    it('accepts the SDK vector for a JSON body signed through bodySHA256', async () => {
      const url = `${DOC_URL}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
      const body = '{"property": "value", "boolean": true}';
      const verdict = accepted(
        await verify(request(url, body, { 'content-type': 'application/json', 'x-twilio-signature': 'a9nBmqA0ju/hNViExpshrM61xv4=' }), DOC_TOKEN),
      );
      expect(verdict.events).toEqual([{ kind: 'callback', data: { property: 'value', boolean: true } }]);
    });

    // twilio-python test_validation_{removes,adds}_port_on_{https,http}: a
    // signature over the URL with or without its port is accepted.
    it.each([
      ['https URL called with a port, signed without it', 'https://mycompany.com:1234/myapp.php?foo=1&bar=2', DOC_SIGNATURE],
      ['https URL called without a port, signed with :443', DOC_URL, 'kvajT1Ptam85bY51eRf/AJRuM3w='],
      ['http URL called without a port, signed with :80', 'http://mycompany.com/myapp.php?foo=1&bar=2', '0ZXoZLH/DfblKGATFgpif+LLRf4='],
      ['http URL called with port 1234, signed with it', 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU='],
    ])('accepts the SDK port vector: %s', async (_name, url, signature) => {
      accepted(await verify(request(url, form(DOC_PARAMS), { 'x-twilio-signature': signature }), DOC_TOKEN));
    });
  });

  describe('callbacks signed here', () => {
    it('turns a message status callback into message_status with id MessageSid:MessageStatus', async () => {
      const params = { ...(twilioKinds[0].example as Record<string, string>) };
      const verdict = accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) })));
      expect(verdict.events).toEqual([{ kind: 'message_status', id: 'SM1f0e8ae6ade43cb3c0ce4525424e404f:delivered', data: params }]);
      expect(verdict.answer).toEqual({ status: 200, contentType: 'text/xml', body: TWIML });
    });

    it('gives each status of one message its own id', async () => {
      const ids: (string | undefined)[] = [];
      for (const MessageStatus of ['sent', 'delivered', 'read']) {
        const params = { MessageSid: 'SMaaaa', MessageStatus, To: '+15558675310' };
        const verdict = accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) })));
        ids.push(verdict.events[0].id);
      }
      expect(ids).toEqual(['SMaaaa:sent', 'SMaaaa:delivered', 'SMaaaa:read']);
    });

    it('turns an inbound message into message with id MessageSid, text with spaces, + and non-ASCII intact', async () => {
      const params = { MessageSid: 'SMbbbb', SmsStatus: 'received', From: '+14155550123', To: '+15017122661', Body: 'Grüße & 1+1=2 ✓', NumMedia: '0' };
      const verdict = accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) })));
      expect(verdict.events).toEqual([{ kind: 'message', id: 'SMbbbb', data: params }]);
    });

    it('turns a call status callback into call_status with id CallSid:CallStatus and its Timestamp as occurredAt', async () => {
      const params = { CallSid: 'CAcccc', CallStatus: 'completed', CallDuration: '42', Timestamp: 'Tue, 09 Jan 2024 18:40:22 +0000' };
      const verdict = accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) })));
      expect(verdict.events).toEqual([{ kind: 'call_status', id: 'CAcccc:completed', data: params, occurredAt: '2024-01-09T18:40:22.000Z' }]);
    });

    it('accepts a callback with an empty body, signed over the URL alone', async () => {
      const verdict = accepted(await verify(request(URL_, '', { 'x-twilio-signature': twilioSignature(TOKEN, URL_, {}) })));
      expect(verdict.events).toEqual([{ kind: 'callback', data: {} }]);
    });

    it('accepts the same callback again with the same id (no timestamp is signed: deduplication is by id)', async () => {
      const params = { MessageSid: 'SMdddd', MessageStatus: 'failed', ErrorCode: '30003' };
      const req = request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) });
      const first = accepted(await verify(req));
      const replay = accepted(await verify({ ...req, receivedAt: new Date(receivedAt.getTime() + 86_400_000) }));
      expect(replay.events[0].id).toBe(first.events[0].id);
    });

    it('accepts a JSON body whose hash is in the signed URL, and refuses it tampered or its hash changed', async () => {
      const body = JSON.stringify({ MessageSid: 'SMeeee', MessageStatus: 'delivered' });
      const url = `${URL_}&bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
      const headers = { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(TOKEN, url, {}) };
      const verdict = accepted(await verify(request(url, body, headers)));
      expect(verdict.events).toEqual([{ kind: 'message_status', id: 'SMeeee:delivered', data: { MessageSid: 'SMeeee', MessageStatus: 'delivered' } }]);

      const tampered = body.replace('delivered', 'undelivered');
      expect(await verify(request(url, tampered, headers))).toMatchObject({ status: 401, reason: 'bad_signature' });
      const rehashed = `${URL_}&bodySHA256=${createHash('sha256').update(tampered).digest('hex')}`;
      expect(await verify(request(rehashed, tampered, headers))).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a JSON-variant body that is not a JSON object with 400 once the signature and hash hold', async () => {
      const body = '["not", "an", "object"]';
      const url = `${URL_}&bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
      const verdict = await verify(request(url, body, { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(TOKEN, url, {}) }));
      expect(verdict).toMatchObject({ kind: 'refused', status: 400, reason: 'malformed' });
    });

    it('verifies with HMAC-SHA256 when a Webhook Setting says so, and refuses an algorithm it does not know', async () => {
      const params = { MessageSid: 'SMffff', MessageStatus: 'sent' };
      const sha256 = twilioSignature(TOKEN, URL_, params, 'sha256');
      const settings = 'key=whsk_01hzy0000000000000000000,algorithm=HMAC_SHA256';
      accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': sha256, 'x-twilio-webhooks-signature-settings': settings })));
      expect(await verify(request(URL_, form(params), { 'x-twilio-signature': sha256 }))).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(
        await verify(request(URL_, form(params), { 'x-twilio-signature': sha256, 'x-twilio-webhooks-signature-settings': 'key=k,algorithm=HMAC_MD5' })),
      ).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('every catalog example becomes its own kind', async () => {
      for (const { kind, example } of twilioKinds) {
        const params = example as Record<string, string>;
        const verdict = accepted(await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) })));
        expect(verdict.events.map((e) => e.kind)).toEqual([kind]);
      }
    });
  });

  describe('refusals', () => {
    const params = { MessageSid: 'SMgggg', MessageStatus: 'delivered', To: '+15558675310' };
    const good = () => request(URL_, form(params), { 'x-twilio-signature': twilioSignature(TOKEN, URL_, params) });

    it('refuses a tampered body with 401 bad_signature', async () => {
      const req = { ...good(), rawBody: Buffer.from(form({ ...params, MessageStatus: 'failed' })) };
      const verdict = await verify(req);
      expect(verdict).toEqual({ kind: 'refused', status: 401, reason: 'bad_signature', detail: expect.any(String) });
    });

    it('refuses an added parameter and a changed URL with 401 bad_signature', async () => {
      expect(await verify({ ...good(), rawBody: Buffer.from(`${form(params)}&Extra=1`) })).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify({ ...good(), url: URL_.replace('acme', 'evil') })).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a signature made with another auth token with 401 bad_signature, the detail naming neither', async () => {
      const verdict = await verify(request(URL_, form(params), { 'x-twilio-signature': twilioSignature('another-token', URL_, params) }));
      expect(verdict).toMatchObject({ kind: 'refused', status: 401, reason: 'bad_signature' });
      const detail = (verdict as { detail: string }).detail;
      expect(detail).not.toContain(TOKEN);
      expect(detail).not.toContain(twilioSignature(TOKEN, URL_, params));
      expect(detail).not.toContain('SMgggg');
    });

    it('refuses a request without X-Twilio-Signature with 401 missing_signature', async () => {
      expect(await verify(request(URL_, form(params), {}))).toMatchObject({ kind: 'refused', status: 401, reason: 'missing_signature' });
    });

    it('refuses everything when the source has no auth token', async () => {
      const unsigned = request(URL_, form(params), { 'x-twilio-signature': twilioSignature('', URL_, params) });
      expect(await verify(unsigned, undefined)).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(unsigned, '')).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a GET with 405 unless allowGet, and then verifies it over its URL', async () => {
      const url = `${URL_}&CallSid=CAhhhh&CallStatus=ringing`;
      const get = request(url, '', { 'x-twilio-signature': twilioSignature(TOKEN, url, {}) }, 'GET');
      expect(await verify(get)).toMatchObject({ kind: 'refused', status: 405, reason: 'method_not_allowed' });
      const verdict = accepted(await verify(get, TOKEN, { allowGet: true }));
      expect(verdict.events).toEqual([{ kind: 'call_status', id: 'CAhhhh:ringing', data: { tenant: 'acme', CallSid: 'CAhhhh', CallStatus: 'ringing' } }]);
      expect(await verify({ ...get, url: url.replace('ringing', 'completed') }, TOKEN, { allowGet: true })).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
    });
  });

  describe('options', () => {
    it('defaults allowGet to false and refuses unknown or mistyped options, naming the rule', () => {
      expect(twilio.parseOptions(undefined)).toEqual({ allowGet: false });
      expect(() => twilio.parseOptions({ allowGet: 'yes' })).toThrow('allowGet must be true or false');
      expect(() => twilio.parseOptions({ url: 'https://x.example' })).toThrow(/url/);
    });
  });
});
