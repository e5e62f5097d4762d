import { Inject, Injectable, type Provider } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { TenantId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { DATA_SOURCE, LOGGER } from '../tokens';
import { hashApiKey } from './api-key';
import { isScope, type Caller } from './scopes';

export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/** The id `HOOKLINE_ADMIN_TOKEN` acts under: a bootstrap global key with `admin`. */
export const BOOTSTRAP_KEY_ID = 'bootstrap';

// lastUsedAt is informational; writing it on every request would turn each read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

interface KeyRow {
  id: string;
  key_hash: string;
  tenant_id: TenantId | null;
  scopes: string[];
  roles: string[];
  last_used_at: Date | null;
}

/**
 * Turns a bearer token into a `Caller`. Not cached, so a revoked key is
 * refused on the very next call: every request's key is read by a query that
 * starts after the request arrived. Requests arriving together (the same turn
 * of the event loop, e.g. many ingest POSTs at once) share that query, one
 * indexed look-up of all their keys, instead of one round trip each.
 */
@Injectable()
export class ApiKeyResolver {
  private readonly bootstrapHash: Buffer;
  private readonly lookups: DataLoader<string, KeyRow | null> | null;

  constructor(
    @Inject(ADMIN_TOKEN) adminToken: string,
    @Inject(DATA_SOURCE) private readonly db: DataSource | null,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.bootstrapHash = Buffer.from(hashApiKey(adminToken), 'hex');
    // No cache (each request reads anew); the batch waits for the I/O callbacks of this turn, then queries.
    this.lookups = db ? new DataLoader((hashes) => this.lookUp(db, hashes), { cache: false, batchScheduleFn: (run) => setImmediate(run) }) : null;
  }

  async resolve(token: string): Promise<Caller | null> {
    const hash = hashApiKey(token);
    // Digests of equal length compared in constant time: neither the token nor its length leaks.
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrapHash)) return { keyId: BOOTSTRAP_KEY_ID, tenantId: null, scopes: ['admin'], roles: [] };
    if (!this.db || !this.lookups) return null;
    const row = await this.lookups.load(hash);
    if (!row) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      this.db
        // The condition is repeated in SQL so a burst of requests on a stale key writes once, not once per request.
        .query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 millisecond')`, [
          row.id,
          LAST_USED_RESOLUTION_MS,
        ])
        .catch((err: unknown) => this.logger.warn({ err, apiKeyId: row.id }, 'could not record API key use'));
    }
    return { keyId: row.id, tenantId: row.tenant_id, scopes: row.scopes.filter(isScope), roles: row.roles };
  }

  /** The unrevoked keys among `hashes`, in their order (null for none). */
  private async lookUp(db: DataSource, hashes: readonly string[]): Promise<(KeyRow | null)[]> {
    const rows = (await db.query(`SELECT id, key_hash, tenant_id, scopes, roles, last_used_at FROM api_keys WHERE key_hash = ANY($1) AND revoked_at IS NULL`, [
      [...new Set(hashes)],
    ])) as KeyRow[];
    const byHash = new Map(rows.map((r) => [r.key_hash, r]));
    return hashes.map((h) => byHash.get(h) ?? null);
  }
}

/** What a service with an HTTP API adds to its providers to use `@RequireScope`. */
export function apiKeyAuth(adminToken: string): Provider[] {
  return [{ provide: ADMIN_TOKEN, useValue: adminToken }, ApiKeyResolver];
}
