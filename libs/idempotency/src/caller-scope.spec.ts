import { createHash } from 'node:crypto';
import { bearerTokenScope } from './caller-scope';

describe('bearerTokenScope', () => {
  it('is the SHA-256 of the bearer token, never the token itself', () => {
    const scope = bearerTokenScope({ headers: { authorization: 'Bearer s3cret-token' } });
    expect(scope).toBe(`bearer:${createHash('sha256').update('s3cret-token').digest('hex')}`);
    expect(scope).not.toContain('s3cret-token');
  });

  it('differs between tokens', () => {
    expect(bearerTokenScope({ headers: { authorization: 'Bearer a' } })).not.toBe(bearerTokenScope({ headers: { authorization: 'Bearer b' } }));
  });

  it.each([[undefined], ['Basic dXNlcjpwdw=='], ['Bearer ']])('has no scope for authorization %p', (authorization) => {
    expect(bearerTokenScope({ headers: { authorization } })).toBeUndefined();
  });
});
