import { canonicalJson, fingerprintRequest, hashBody } from './fingerprint';

const create = { method: 'POST', url: '/v1/tenants/t1/endpoints', body: { url: 'https://example.com/hook', eventTypes: ['a', 'b'] } };

describe(fingerprintRequest.name, () => {
  it('is the same for the same document with its keys in another order', () => {
    const reordered = { ...create, body: { eventTypes: ['a', 'b'], url: 'https://example.com/hook' } };
    expect(fingerprintRequest(reordered).digest).toBe(fingerprintRequest(create).digest);
  });

  it('is the same for nested objects with their keys in another order', () => {
    const a = fingerprintRequest({ ...create, body: { headers: { 'x-a': '1', 'x-b': '2' }, url: 'u' } });
    const b = fingerprintRequest({ ...create, body: { url: 'u', headers: { 'x-b': '2', 'x-a': '1' } } });
    expect(a.digest).toBe(b.digest);
  });

  it.each([
    ['another body value', { ...create, body: { ...create.body, url: 'https://example.com/other' } }],
    ['array items in another order', { ...create, body: { ...create.body, eventTypes: ['b', 'a'] } }],
    ['a body field added', { ...create, body: { ...create.body, description: '' } }],
    ['another method', { ...create, method: 'PUT' }],
    ['another path', { ...create, url: '/v1/tenants/t2/endpoints' }],
    ['a query string', { ...create, url: '/v1/tenants/t1/endpoints?dryRun=true' }],
    ['a number spelled as a string', { ...create, body: { n: '1' } }],
  ])('differs for %s', (_what, other) => {
    expect(fingerprintRequest(other).digest).not.toBe(fingerprintRequest(create).digest);
  });

  it('normalises the method case and the query parameter order', () => {
    const a = fingerprintRequest({ method: 'delete', url: '/v1/x?b=2&a=1', body: undefined });
    const b = fingerprintRequest({ method: 'DELETE', url: '/v1/x?a=1&b=2', body: undefined });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ method: 'DELETE', path: '/v1/x?a=1&b=2' });
  });

  it('keeps a target starting with // a path, not a host', () => {
    expect(fingerprintRequest({ method: 'POST', url: '//evil.example/v1/x', body: undefined }).path).toBe('//evil.example/v1/x');
  });

  it('is a SHA-256 hex digest', () => {
    expect(fingerprintRequest(create).digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and drops undefined properties like JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: true }], c: undefined } })).toBe('{"a":{"d":[1,{"y":true,"z":null}]},"b":1}');
  });

  it('writes what JSON.stringify writes for scalars, dates and holes', () => {
    expect(canonicalJson(1.0)).toBe('1');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });
});

describe(hashBody.name, () => {
  it('hashes raw bodies as their bytes, so a Buffer and the same text agree', () => {
    expect(hashBody(Buffer.from('{"a":1}'))).toBe(hashBody('{"a":1}'));
  });

  it('tells no body from an empty object and from null', () => {
    expect(new Set([hashBody(undefined), hashBody({}), hashBody(null)]).size).toBe(3);
  });
});
