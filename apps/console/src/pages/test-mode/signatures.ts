import type { ResponseOf } from '../../api/client';

export type Endpoint = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}', 'get'>;
export type Scheme = Endpoint['signatureSchemes'][number];
export type Preview = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}/preview', 'post'>;
export type TestAttempt = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}/test', 'post'>;

/** One scheme's signatures in a request: how many, and in which header. */
export interface Signed {
  scheme: Scheme;
  count: number;
  header: string;
}

function entries(value: string | undefined, separator: string): string[] {
  return (value ?? '').split(separator).filter((e) => e.trim() !== '');
}

/**
 * Which schemes signed a request, read from its headers as a receiver reads
 * them (README "The delivery request"): `webhook-signature` holds `v1,…` per
 * secret then `v1a,…` (ed25519) per key, space-separated; `x-hookline-signature`
 * one `sha256=…` per secret and `x-hookline-rsa-signature` one per RSA key,
 * comma-separated. More than one of a scheme means several secrets or keys
 * sign now (a rotation's overlap).
 */
export function signaturesOf(headers: Record<string, string>): Signed[] {
  const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const standard = entries(h['webhook-signature'], ' ');
  const found: Signed[] = [
    { scheme: 'v1', count: standard.filter((e) => e.startsWith('v1,')).length, header: 'webhook-signature' },
    { scheme: 'hookline-v1', count: entries(h['x-hookline-signature'], ',').length, header: 'x-hookline-signature' },
    { scheme: 'ed25519', count: standard.filter((e) => e.startsWith('v1a,')).length, header: 'webhook-signature' },
    { scheme: 'rsa-sha256', count: entries(h['x-hookline-rsa-signature'], ',').length, header: 'x-hookline-rsa-signature' },
  ];
  return found.filter((s) => s.count > 0);
}

/** The headers that carry signatures, picked out in the headers table. */
export const SIGNATURE_HEADERS = new Set(['webhook-signature', 'x-hookline-signature', 'x-hookline-rsa-signature']);
