import { createHmac } from 'node:crypto';
import { generateNonce, requestPath, signHooklineV1 } from './hookline-v1';
import { generateSecret } from './standard-webhooks';

// The key is decoded here by hand (base64 after `whsec_`), not with the library's own decoder.
const rawKey = (secret: string) => Buffer.from(secret.slice('whsec_'.length), 'base64');
const hmacHex = (secret: string, text: string) => createHmac('sha256', rawKey(secret)).update(text).digest('hex');

describe(signHooklineV1.name, () => {
  const input = { timestamp: 1614265330, nonce: 'q3LqV2Hk0mDUoAk4yu9v0g', path: '/hooks/in?tenant=a%20b', body: '{"test": 2432232314}' };

  it('is sha256=<hex HMAC-SHA256> over timestamp.nonce.path.body', () => {
    const secret = generateSecret();
    expect(signHooklineV1({ ...input, secrets: [secret] })).toBe(
      `sha256=${hmacHex(secret, '1614265330.q3LqV2Hk0mDUoAk4yu9v0g./hooks/in?tenant=a%20b.{"test": 2432232314}')}`,
    );
  });

  it('signs with every secret of a rotation, comma-separated', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const entries = signHooklineV1({ ...input, secrets: [oldSecret, newSecret] }).split(',');
    const text = `${input.timestamp}.${input.nonce}.${input.path}.${input.body}`;
    expect(entries).toEqual([`sha256=${hmacHex(oldSecret, text)}`, `sha256=${hmacHex(newSecret, text)}`]);
  });

  it('signs a binary body byte for byte', () => {
    const secret = generateSecret();
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    const expected = createHmac('sha256', rawKey(secret)).update(`1.${input.nonce}./p.`).update(body).digest('hex');
    expect(signHooklineV1({ ...input, timestamp: 1, path: '/p', body, secrets: [secret] })).toBe(`sha256=${expected}`);
  });

  it('refuses a nonce that could blur the boundary between fields', () => {
    expect(() => signHooklineV1({ ...input, nonce: 'a.b.c.d.e.f.g.h.i.j', secrets: [generateSecret()] })).toThrow('nonce');
  });

  it('refuses a timestamp receivers would reject', () => {
    for (const timestamp of [-1, 1.5, 10_000_000_000]) {
      expect(() => signHooklineV1({ ...input, timestamp, secrets: [generateSecret()] })).toThrow(RangeError);
    }
  });
});

describe(generateNonce.name, () => {
  it('is 128 random bits in base64url, different every time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, generateNonce));
    expect(nonces.size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64url')).toHaveLength(16);
    expect([...nonces].every((n) => /^[A-Za-z0-9_-]{22}$/.test(n))).toBe(true);
  });
});

describe(requestPath.name, () => {
  it('is the path and query as sent on the request line, without the fragment', () => {
    expect(requestPath('https://example.com/hooks/in?a=1&b=two words#frag')).toBe('/hooks/in?a=1&b=two%20words');
    expect(requestPath('https://example.com')).toBe('/');
    expect(requestPath(new URL('https://example.com:8443/a/../b/'))).toBe('/b/');
  });
});
