import { KEY_PAIR_ALGORITHMS } from '@hookline/contracts';
import { publicKeyForms } from '@hookline/signing';
import { z } from 'zod';
import type { StoredSigningKey } from '../endpoints/endpoint.entity';

/** Keys of one algorithm that may exist on an endpoint at once; all of them sign, so rotation is add-then-delete. */
export const MAX_KEYS_PER_ALGORITHM = 4;

export const CreateSigningKeySchema = z
  .object({
    algorithm: z.enum(KEY_PAIR_ALGORITHMS, { error: `must be one of ${KEY_PAIR_ALGORITHMS.join(', ')}` }),
    /** RSA only; 3072 by default (NIST's floor for use beyond 2030). */
    modulusLength: z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { error: 'must be 2048, 3072 or 4096' }).optional(),
  })
  .strict()
  .refine((k) => k.modulusLength === undefined || k.algorithm === 'rsa-sha256', { message: 'applies to rsa-sha256 keys only', path: ['modulusLength'] });
export type CreateSigningKey = z.infer<typeof CreateSigningKeySchema>;

/**
 * The public half of a key pair, as receivers need it: the key id sent with
 * each signature, the key in Hookline's form (`whpk_…` for ed25519, as
 * Standard Webhooks writes it; PEM for rsa), as SPKI PEM, and as a JWK.
 */
export const SigningKeyViewSchema = z.object({
  keyId: z.string(),
  algorithm: z.enum(KEY_PAIR_ALGORITHMS),
  publicKey: z.string(),
  publicKeyPem: z.string(),
  jwk: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type SigningKeyView = z.output<typeof SigningKeyViewSchema>;

export function toSigningKeyView(key: StoredSigningKey): SigningKeyView {
  const { pem, jwk } = publicKeyForms({ key: key.publicKey, keyId: key.keyId });
  return { keyId: key.keyId, algorithm: key.algorithm, publicKey: key.publicKey, publicKeyPem: pem, jwk, createdAt: key.createdAt };
}
