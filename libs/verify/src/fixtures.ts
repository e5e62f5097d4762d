import { createHmac, createSecretKey, sign, type KeyObject } from 'node:crypto';

// Signs requests the way Hookline does, straight from the spec with
// node:crypto, for this library's tests and benchmark. Kept here rather than
// imported from @hookline/signing so the package stays free of monorepo code;
// the signing library's own tests check the two agree.

export interface Message {
  id: string;
  /** As sent, so tests can send spellings a number would normalise away. */
  timestamp: string;
  nonce: string;
  path: string;
  body: string | Uint8Array;
}

const bytes = (prefix: string, body: string | Uint8Array) => Buffer.concat([Buffer.from(prefix), Buffer.from(body)]);
const hmacKey = (secret: string) => createSecretKey(Buffer.from(secret.replace(/^whsec_/, ''), 'base64'));

export function signV1(secrets: readonly string[], m: Message): string {
  return secrets
    .map(
      (s) =>
        `v1,${createHmac('sha256', hmacKey(s))
          .update(bytes(`${m.id}.${m.timestamp}.`, m.body))
          .digest('base64')}`,
    )
    .join(' ');
}

export function signV1a(keys: readonly KeyObject[], m: Message): string {
  return keys.map((k) => `v1a,${sign(null, bytes(`${m.id}.${m.timestamp}.`, m.body), k).toString('base64')}`).join(' ');
}

export function signHooklineV1(secrets: readonly string[], m: Message): string {
  const text = bytes(`${m.timestamp}.${m.nonce}.${m.path}.`, m.body);
  return secrets.map((s) => `sha256=${createHmac('sha256', hmacKey(s)).update(text).digest('hex')}`).join(',');
}

export function signRsa(keys: readonly KeyObject[], m: Message): string {
  return keys.map((k) => sign('sha256', bytes(`${m.id}.${m.timestamp}.`, m.body), k).toString('base64')).join(',');
}

export type FixtureScheme = 'v1' | 'hookline-v1' | 'ed25519' | 'rsa-sha256';

export interface SigningMaterial {
  secrets?: readonly string[];
  ed25519?: readonly KeyObject[];
  rsa?: readonly { keyId: string; privateKey: KeyObject }[];
}

/** The headers of a request signed with one scheme. */
export function signedHeaders(scheme: FixtureScheme, material: SigningMaterial, m: Message): Record<string, string> {
  switch (scheme) {
    case 'v1':
      return { 'webhook-id': m.id, 'webhook-timestamp': m.timestamp, 'webhook-signature': signV1(material.secrets ?? [], m) };
    case 'ed25519':
      return { 'webhook-id': m.id, 'webhook-timestamp': m.timestamp, 'webhook-signature': signV1a(material.ed25519 ?? [], m) };
    case 'hookline-v1':
      return { 'x-hookline-timestamp': m.timestamp, 'x-hookline-nonce': m.nonce, 'x-hookline-signature': signHooklineV1(material.secrets ?? [], m) };
    case 'rsa-sha256': {
      const keys = material.rsa ?? [];
      return {
        'webhook-id': m.id,
        'webhook-timestamp': m.timestamp,
        'x-hookline-rsa-signature': signRsa(
          keys.map((k) => k.privateKey),
          m,
        ),
        'x-hookline-key-id': keys.map((k) => k.keyId).join(','),
      };
    }
  }
}
