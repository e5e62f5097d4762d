import { createHash, randomBytes } from 'node:crypto';

/**
 * A new API key: `hl_<tenant or "global">_<32 random bytes, base64url>`. The
 * prefix only helps a human tell keys apart; the random part is what counts.
 */
export function generateApiKey(tenantId: string | null): string {
  return `hl_${tenantId ?? 'global'}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Keys carry 256 random bits, so a plain SHA-256 is enough to store them:
 * there is nothing to brute-force that a slow hash would protect.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
