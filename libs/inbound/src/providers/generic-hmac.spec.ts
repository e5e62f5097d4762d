import { createHmac } from 'node:crypto';
import type { InboundRequest } from '../provider';
import { genericHmac } from './generic-hmac';

const secret = 'shh-generic-secret';
const now = new Date('2026-11-29T10:00:00Z');
const seconds = Math.floor(now.getTime() / 1000);
const tools = { fetchText: async () => '' };
const request = (body: string, headers: Record<string, string>): InboundRequest => ({
  method: 'POST',
  url: 'https://hooks.example.com/v1/inbound/src?x=1',
  headers,
  rawBody: Buffer.from(body),
  receivedAt: now,
});
const verify = (options: Record<string, unknown>, req: InboundRequest, key: string | undefined = secret) =>
  genericHmac.verify(req, { ...(key === undefined ? {} : { secret: key }), options: genericHmac.parseOptions(options) }, tools);

describe('generic_hmac', () => {
  const timed = {
    signatureHeader: 'X-Sig',
    signedContent: '{timestamp}.{body}',
    timestampHeader: 'X-Time',
    encoding: 'base64',
    algorithm: 'sha512',
    idField: 'id',
  };
  const body = '{"id":"e_1","type":"a.b"}';
  const sign = (content: string, algorithm = 'sha512', key = secret) => createHmac(algorithm, key).update(content).digest('base64');

  it('accepts the HMAC of its signed-content template, with the timestamp header inside the tolerance', async () => {
    const verdict = await verify(timed, request(body, { 'x-sig': sign(`${seconds}.${body}`), 'x-time': String(seconds - 100) }));
    expect(verdict).toEqual({ kind: 'refused', status: 401, reason: 'bad_signature', detail: 'X-Sig does not match' });
    const ok = await verify(timed, request(body, { 'x-sig': sign(`${seconds - 100}.${body}`), 'x-time': String(seconds - 100) }));
    expect(ok).toEqual({ kind: 'accepted', events: [{ kind: 'event', id: 'e_1', data: JSON.parse(body) }] });
  });

  it('refuses a timestamp outside the tolerance even with a good signature, and a missing one; a forged one is a bad signature, not a stale one', async () => {
    const old = seconds - 301;
    expect(await verify(timed, request(body, { 'x-sig': sign(`${old}.${body}`), 'x-time': String(old) }))).toMatchObject({ reason: 'stale_timestamp' });
    expect(await verify(timed, request(body, { 'x-sig': 'forged', 'x-time': String(old) }))).toMatchObject({ reason: 'bad_signature' });
    expect(await verify(timed, request(body, { 'x-sig': sign(`${seconds}.${body}`) }))).toMatchObject({ reason: 'missing_signature' });
  });

  it('signs the URL and an id header when the template says so, and takes the kind from typeField', async () => {
    const options = { signatureHeader: 'X-Sig', prefix: 'sha256=', signedContent: '{url}|{id}|{body}', idHeader: 'X-Event-Id', typeField: 'type' };
    const content = `https://hooks.example.com/v1/inbound/src?x=1|evt_9|${body}`;
    const headers = { 'x-sig': `sha256=${createHmac('sha256', secret).update(content).digest('hex')}`, 'x-event-id': 'evt_9' };
    expect(await verify(options, request(body, headers))).toEqual({ kind: 'accepted', events: [{ kind: 'a.b', id: 'evt_9', data: JSON.parse(body) }] });
    expect(await verify(options, request(body, { ...headers, 'x-event-id': 'evt_10' }))).toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses everything when the source has no secret (never an HMAC under an empty key)', async () => {
    const options = { signatureHeader: 'X-Sig' };
    const emptyKeySignature = createHmac('sha256', '').update(body).digest('hex');
    expect(await verify(options, request(body, { 'x-sig': emptyKeySignature }), undefined)).toMatchObject({ status: 401, reason: 'bad_signature' });
  });

  it.each([
    [{}, 'signatureHeader'],
    [{ signatureHeader: 'X-Sig', signedContent: '{timestamp}' }, 'signedContent'],
    [{ signatureHeader: 'X-Sig', signedContent: '{timestamp}.{body}' }, 'signedContent'],
    [{ signatureHeader: 'X-Sig', signedContent: '{body}{secret}' }, 'signedContent'],
    [{ signatureHeader: 'X-Sig', algorithm: 'md5' }, 'algorithm'],
    [{ signatureHeader: 'X-Sig', timestampHeader: 'X-Time' }, 'signedContent'],
  ])('refuses options %j, naming %s', (options, field) => {
    expect(() => genericHmac.parseOptions(options)).toThrow(
      expect.objectContaining({ issues: expect.arrayContaining([expect.objectContaining({ path: [field] })]) }),
    );
  });
});
