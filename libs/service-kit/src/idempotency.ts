import type { DynamicModule } from '@nestjs/common';
import type { DataSource } from '@hookline/database';
import { IdempotencyModule, type ResponseCipher } from '@hookline/idempotency';
import type { Caller } from './auth/scopes';
import { DATA_SOURCE } from './tokens';

/**
 * `Idempotency-Key` on every write route of a service with a database: keys
 * are scoped to the caller's API key (its id, resolved by the auth guard,
 * which runs before interceptors) and kept 24 h (libs/idempotency).
 * A service whose responses carry secrets passes a cipher (its master keyring),
 * so stored responses are encrypted at rest.
 */
export function writeIdempotency(options: { cipher?: ResponseCipher } = {}): DynamicModule {
  return IdempotencyModule.forRootAsync({
    inject: [DATA_SOURCE],
    useFactory: (db: DataSource | null) => {
      if (!db) throw new Error('write idempotency needs DATABASE_URL');
      return {
        db,
        scope: (request: { headers: object; caller?: Caller }) => (request.caller ? `key:${request.caller.keyId}` : undefined),
        cipher: options.cipher,
      };
    },
    applyToAllRoutes: true,
  });
}
