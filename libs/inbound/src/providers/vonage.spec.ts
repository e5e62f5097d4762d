import { createHash, createHmac } from 'node:crypto';
import type { InboundRequest, ProviderTools, Verdict } from '../provider';
import { verifyVonageJwt, vonage, vonageKinds } from './vonage';

const tools: ProviderTools = {
  fetchText: () => Promise.reject(new Error('Vonage verification fetches nothing')),
};
const SECRET = 'kX9vT2qLm8RzW4nB7cYp1dFs6hJg3eAu';
const receivedAt = new Date('2026-03-01T12:00:00Z');
const NOW = Math.floor(receivedAt.getTime() / 1000);
const URL_ = 'https://hooks.hookline.example/in/vonage/src_789';

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT as RFC 7515/7519 build it, written out on its own: base64url(header).base64url(claims).base64url(HMAC-SHA256 of the two). */
function jwt(claims: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, hash = 'sha256'): string {
  const signingInput = `${b64url(header)}.${b64url(claims)}`;
  return `${signingInput}.${createHmac(hash, secret).update(signingInput).digest('base64url')}`;
}

/** The claims Vonage puts in a Messages API webhook's token, for `body`. */
const claimsFor = (body: string, extra: Record<string, unknown> = {}) => ({
  iat: NOW - 2,
  jti: 'c9f0d3a4-5b6e-4f70-8a91-b2c3d4e5f607',
  iss: 'Vonage',
  payload_hash: createHash('sha256').update(body).digest('hex'),
  api_key: 'a1b2c3d4',
  application_id: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
  ...extra,
});

const request = (body: string, authorization?: string, method: 'GET' | 'POST' = 'POST'): InboundRequest => ({
  method,
  url: URL_,
  headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
  rawBody: Buffer.from(body, 'utf8'),
  receivedAt,
});

const signed = (body: string, extra: Record<string, unknown> = {}, secret = SECRET) => request(body, `Bearer ${jwt(claimsFor(body, extra), secret)}`);

const verify = (req: InboundRequest, options: Record<string, unknown> = {}, secret: string | undefined = SECRET) =>
  vonage.verify(req, { secret, options: vonage.parseOptions(options) }, tools);

function accepted(verdict: Verdict) {
  if (verdict.kind !== 'accepted') throw new Error(`expected an accepted verdict, got ${JSON.stringify(verdict)}`);
  return verdict;
}

const inbound = JSON.stringify(vonageKinds[0].example);
const status = JSON.stringify(vonageKinds[1].example);

describe('vonage', () => {
  // The HS256 token and signature secret of the official Vonage Python SDK's
  // tests (https://github.com/Vonage/vonage-python-sdk, jwt/tests/test_verify_jwt.py,
  // the SDK's verify_signature for signed webhooks). Vonage's documentation
  // publishes no webhook token with its secret and body.
  describe("the Vonage SDK's published token", () => {
    const SDK_TOKEN =
      'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJPbmxpbmUgSldUIEJ1aWxkZXIiLCJpYXQiOjE2OTc2MzQ2ODAsImV4cCI6MzMyNTQ1NDA4MjgsImF1ZCI6IiIsInN1YiI6IiJ9.88vJc3I2HhuqEDixHXVhc9R30tA6U_HQHZTC29y6CGM';

    it('verifies under its secret and not under another, and refuses a string that is no JWT', async () => {
      expect(await verifyVonageJwt(SDK_TOKEN, 'qwertyuiopasdfghjklzxcvbnm123456')).toMatchObject({ ok: true, claims: { iat: 1697634680, exp: 33254540828 } });
      expect(await verifyVonageJwt(SDK_TOKEN, 'asdf')).toEqual({ ok: false, detail: expect.any(String) });
      expect(await verifyVonageJwt('asdf', 'qwertyuiopasdfghjklzxcvbnm123456')).toEqual({ ok: false, detail: expect.any(String) });
    });

    it('gets past the signature as a webhook token but is refused for carrying no payload_hash', async () => {
      const req = { ...request('{}', `Bearer ${SDK_TOKEN}`), receivedAt: new Date(1697634680 * 1000) };
      const verdict = await vonage.verify(req, { secret: 'qwertyuiopasdfghjklzxcvbnm123456', options: vonage.parseOptions({}) }, tools);
      expect(verdict).toMatchObject({ kind: 'refused', status: 401, reason: 'bad_signature', detail: expect.stringContaining('payload_hash') });
    });
  });

  describe('callbacks signed here', () => {
    it('turns an inbound message into message with id message_uuid and its timestamp as occurredAt', async () => {
      const verdict = accepted(await verify(signed(inbound)));
      expect(verdict.events).toEqual([
        { kind: 'message', id: 'aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab', data: JSON.parse(inbound), occurredAt: '2025-02-03T12:14:25.000Z' },
      ]);
      expect(verdict.answer).toBeUndefined();
    });

    it('turns a status into message_status with id message_uuid:status', async () => {
      const verdict = accepted(await verify(signed(status)));
      expect(verdict.events).toEqual([
        { kind: 'message_status', id: 'bbbbbbbb-cccc-4ddd-8eee-0123456789ab:delivered', data: JSON.parse(status), occurredAt: '2025-02-03T12:15:02.000Z' },
      ]);
    });

    it('gives each status of one message its own id', async () => {
      const ids: (string | undefined)[] = [];
      for (const s of ['submitted', 'delivered', 'read']) {
        ids.push(accepted(await verify(signed(JSON.stringify({ message_uuid: 'm-1', status: s })))).events[0].id);
      }
      expect(ids).toEqual(['m-1:submitted', 'm-1:delivered', 'm-1:read']);
    });

    it('accepts iat up to the tolerance either side, a later exp, an earlier nbf, and the scheme in any case', async () => {
      accepted(await verify(signed(inbound, { iat: NOW - 300 })));
      accepted(await verify(signed(inbound, { iat: NOW + 300 })));
      accepted(await verify(signed(inbound, { exp: NOW + 60, nbf: NOW - 60 })));
      accepted(await verify(request(inbound, `bearer ${jwt(claimsFor(inbound))}`)));
    });

    it('checks api_key and application_id when the source names them', async () => {
      accepted(await verify(signed(inbound), { apiKey: 'a1b2c3d4', applicationId: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab' }));
      expect(await verify(signed(inbound), { apiKey: 'ffffffff' })).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(signed(inbound), { applicationId: 'another-app' })).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('every catalog example becomes its own kind', async () => {
      for (const { kind, example } of vonageKinds) {
        const verdict = accepted(await verify(signed(JSON.stringify(example))));
        expect(verdict.events.map((e) => e.kind)).toEqual([kind]);
      }
    });
  });

  describe('refusals', () => {
    it('refuses a tampered body with 401 bad_signature', async () => {
      const req = { ...signed(status), rawBody: Buffer.from(status.replace('delivered', 'rejected')) };
      expect(await verify(req)).toEqual({ kind: 'refused', status: 401, reason: 'bad_signature', detail: expect.any(String) });
    });

    it('refuses a token signed with another secret with 401 bad_signature, the detail naming neither secret nor signature', async () => {
      const verdict = await verify(signed(status, {}, 'another-signature-secret-000000000'));
      expect(verdict).toMatchObject({ kind: 'refused', status: 401, reason: 'bad_signature' });
      const detail = (verdict as { detail: string }).detail;
      expect(detail).not.toContain(SECRET);
      expect(detail).not.toContain(jwt(claimsFor(status)).split('.')[2]);
      expect(detail).not.toContain('bbbbbbbb');
    });

    it('refuses an iat beyond the tolerance either side with 401 stale_timestamp, within a wider tolerance accepted', async () => {
      expect(await verify(signed(inbound, { iat: NOW - 301 }))).toMatchObject({ kind: 'refused', status: 401, reason: 'stale_timestamp' });
      expect(await verify(signed(inbound, { iat: NOW + 301 }))).toMatchObject({ kind: 'refused', status: 401, reason: 'stale_timestamp' });
      accepted(await verify(signed(inbound, { iat: NOW - 301 }), { toleranceSeconds: 600 }));
    });

    it('refuses an expired token or one not valid yet with 401 stale_timestamp', async () => {
      expect(await verify(signed(inbound, { exp: NOW - 1 }))).toMatchObject({ status: 401, reason: 'stale_timestamp' });
      expect(await verify(signed(inbound, { exp: 'never' }))).toMatchObject({ status: 401, reason: 'stale_timestamp' });
      expect(await verify(signed(inbound, { nbf: NOW + 301 }))).toMatchObject({ status: 401, reason: 'stale_timestamp' });
    });

    it('refuses a request without a bearer token with 401 missing_signature', async () => {
      expect(await verify(request(inbound))).toMatchObject({ kind: 'refused', status: 401, reason: 'missing_signature' });
      expect(await verify(request(inbound, 'Basic YTpi'))).toMatchObject({ status: 401, reason: 'missing_signature' });
      expect(await verify(request(inbound, 'Bearer '))).toMatchObject({ status: 401, reason: 'missing_signature' });
    });

    it('refuses a token whose alg is not exactly HS256, even one correctly signed under its own alg', async () => {
      const claims = claimsFor(inbound);
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
      expect(await verify(request(inbound, `Bearer ${unsigned}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
      const hs512 = jwt(claims, SECRET, { alg: 'HS512', typ: 'JWT' }, 'sha512');
      expect(await verify(request(inbound, `Bearer ${hs512}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
      const lower = jwt(claims, SECRET, { alg: 'hs256', typ: 'JWT' });
      expect(await verify(request(inbound, `Bearer ${lower}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
      const critical = jwt(claims, SECRET, { alg: 'HS256', typ: 'JWT', crit: ['exp'] });
      expect(await verify(request(inbound, `Bearer ${critical}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a token without payload_hash or without iat with 401 bad_signature', async () => {
      const { payload_hash: _hash, ...noHash } = claimsFor(inbound);
      const { iat: _iat, ...noIat } = claimsFor(inbound);
      expect(await verify(request(inbound, `Bearer ${jwt(noHash)}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verify(request(inbound, `Bearer ${jwt(noIat)}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a token whose signature part was swapped for another token’s', async () => {
      const other = jwt(claimsFor(status)).split('.')[2];
      const [h, c] = jwt(claimsFor(inbound)).split('.');
      expect(await verify(request(inbound, `Bearer ${h}.${c}.${other}`))).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses everything when the source has no signature secret', async () => {
      expect(await verify(signed(inbound, {}, ''), {}, undefined)).toMatchObject({ status: 401, reason: 'bad_signature' });
    });

    it('refuses a well-signed body that is not a JSON object with 400 malformed', async () => {
      expect(await verify(signed('[1,2,3]'))).toMatchObject({ kind: 'refused', status: 400, reason: 'malformed' });
      expect(await verify(signed('not json'))).toMatchObject({ kind: 'refused', status: 400, reason: 'malformed' });
    });

    it('refuses a GET with 405', async () => {
      const req = { ...signed(inbound), method: 'GET' as const };
      expect(await verify(req)).toMatchObject({ kind: 'refused', status: 405, reason: 'method_not_allowed' });
    });
  });

  describe('legacy SMS API signatures (smsSignatureMethod)', () => {
    // The signed inbound SMS of the official Vonage Node SDK's tests, one per
    // signature method (https://github.com/Vonage/vonage-node-sdk,
    // packages/sms/__tests__/__dataSets__/signature.ts), for the algorithm at
    // https://developer.vonage.com/en/getting-started/concepts/signing-messages.
    const SMS_SECRET = 'my_secret_key_for_testing';
    const SMS = {
      'message-timestamp': '2013-11-21 15:27:30',
      messageId: '020000001B0FE827',
      msisdn: '14843472194',
      text: 'Test again',
      timestamp: '1385047698',
      to: '13239877404',
      type: 'text',
    };
    const SMS_SIGNATURES = [
      ['md5hash', 'd2e7b1dc968737c5998ad624e02f90b7'],
      ['md5', 'DDEBD46008C2D4E93CCE578A332A52D5'],
      ['sha1', '27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A'],
      ['sha256', 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330'],
      ['sha512', 'E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82'],
    ] as const;
    const smsAt = new Date((1385047698 + 5) * 1000);
    const smsGet = (params: Record<string, string>, at = smsAt): InboundRequest => ({
      method: 'GET',
      url: `${URL_}?${new URLSearchParams(params).toString()}`,
      headers: {},
      rawBody: Buffer.alloc(0),
      receivedAt: at,
    });
    const verifySms = (req: InboundRequest, method: string, options: Record<string, unknown> = {}, secret = SMS_SECRET) =>
      vonage.verify(req, { secret, options: vonage.parseOptions({ smsSignatureMethod: method, ...options }) }, tools);

    it.each(SMS_SIGNATURES)('accepts the SDK vector signed with %s as an inbound SMS with id messageId', async (method, sig) => {
      const verdict = accepted(await verifySms(smsGet({ ...SMS, sig }), method));
      expect(verdict.events).toEqual([{ kind: 'message', id: '020000001B0FE827', data: SMS, occurredAt: '2013-11-21T15:27:30.000Z' }]);
    });

    it('accepts the SDK vector as a form POST and as a JSON POST, and with the HMAC in lowercase', async () => {
      const sig = 'DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330';
      const post = (body: string, contentType: string): InboundRequest => ({
        method: 'POST',
        url: URL_,
        headers: { 'content-type': contentType },
        rawBody: Buffer.from(body),
        receivedAt: smsAt,
      });
      accepted(await verifySms(post(new URLSearchParams({ ...SMS, sig }).toString(), 'application/x-www-form-urlencoded'), 'sha256'));
      accepted(await verifySms(post(JSON.stringify({ ...SMS, sig }), 'application/json'), 'sha256'));
      accepted(await verifySms(smsGet({ ...SMS, sig: sig.toLowerCase() }), 'sha256'));
    });

    it('refuses the SDK vector under another method, another secret, or with its text changed (401 bad_signature)', async () => {
      expect(await verifySms(smsGet({ ...SMS, sig: SMS_SIGNATURES[3][1] }), 'sha512')).toMatchObject({ status: 401, reason: 'bad_signature' });
      expect(await verifySms(smsGet({ ...SMS, sig: SMS_SIGNATURES[3][1] }), 'sha256', {}, 'another_secret')).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
      expect(await verifySms(smsGet({ ...SMS, text: 'Test again!', sig: SMS_SIGNATURES[3][1] }), 'sha256')).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
    });

    it('refuses the SDK vector received more than the tolerance after its timestamp (401 stale_timestamp)', async () => {
      const late = new Date((1385047698 + 301) * 1000);
      expect(await verifySms(smsGet({ ...SMS, sig: SMS_SIGNATURES[3][1] }, late), 'sha256')).toMatchObject({ status: 401, reason: 'stale_timestamp' });
      accepted(await verifySms(smsGet({ ...SMS, sig: SMS_SIGNATURES[3][1] }, late), 'sha256', { toleranceSeconds: 600 }));
    });

    it('refuses an SMS callback without sig (401 missing_signature), and a GET at all when the option is off (405)', async () => {
      expect(await verifySms(smsGet(SMS), 'sha256')).toMatchObject({ status: 401, reason: 'missing_signature' });
      expect(await verify(smsGet({ ...SMS, sig: SMS_SIGNATURES[3][1] }))).toMatchObject({ status: 405, reason: 'method_not_allowed' });
    });

    it('turns a delivery receipt signed here into message_status with id messageId:status, & and = in values signed as _', async () => {
      const receipt = {
        'api-key': 'a1b2c3d4',
        messageId: '0A0000001234567B',
        msisdn: '447700900000',
        to: 'AcmeInc',
        'network-code': '23410',
        price: '0.03330000',
        status: 'delivered',
        scts: '2001011400',
        'err-code': '0',
        'client-ref': 'order=1042&retry=0',
        'message-timestamp': '2026-03-01 11:59:58',
        timestamp: String(NOW - 2),
      };
      // The documented algorithm, on its own: &name=value in name order, & and = in values as _, HMAC-SHA256 hex.
      const signedString = Object.keys(receipt)
        .sort()
        .map((name) => `&${name}=${receipt[name as keyof typeof receipt].replace(/[&=]/g, '_')}`)
        .join('');
      expect(signedString).toContain('&client-ref=order_1042_retry_0&');
      const sig = createHmac('sha256', SECRET).update(signedString).digest('hex').toUpperCase();
      const verdict = accepted(await verifySms(smsGet({ ...receipt, sig }, receivedAt), 'sha256', { apiKey: 'a1b2c3d4' }, SECRET));
      expect(verdict.events).toEqual([{ kind: 'message_status', id: '0A0000001234567B:delivered', data: receipt, occurredAt: '2026-03-01T11:59:58.000Z' }]);
      expect(await verifySms(smsGet({ ...receipt, sig }, receivedAt), 'sha256', { apiKey: 'ffffffff' }, SECRET)).toMatchObject({
        status: 401,
        reason: 'bad_signature',
      });
    });

    it('still verifies a Messages API token when the option is on', async () => {
      const verdict = accepted(await verify(signed(status), { smsSignatureMethod: 'sha256' }));
      expect(verdict.events[0].kind).toBe('message_status');
    });
  });

  describe('options', () => {
    it('defaults the tolerance to 300 s and refuses unknown or out-of-range options, naming the rule', () => {
      expect(vonage.parseOptions(undefined)).toEqual({ toleranceSeconds: 300 });
      expect(() => vonage.parseOptions({ toleranceSeconds: 0 })).toThrow('toleranceSeconds must be 1-3600 s');
      expect(() => vonage.parseOptions({ toleranceSeconds: 86_400 })).toThrow('toleranceSeconds must be 1-3600 s');
      expect(() => vonage.parseOptions({ apiKey: '' })).toThrow('apiKey must not be empty');
      expect(() => vonage.parseOptions({ secret: 'x' })).toThrow(/secret/);
      expect(() => vonage.parseOptions({ smsSignatureMethod: 'sha384' })).toThrow('smsSignatureMethod must be md5hash, md5, sha1, sha256 or sha512');
    });
  });
});
