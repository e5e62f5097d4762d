import type { DynamicModule } from '@nestjs/common';
import type { DataSource } from '@hookline/database';
import { bearerTokenScope, IdempotencyModule, type ResponseCipher } from '@hookline/idempotency';
import { DATA_SOURCE } from './core.module';

/**
 * `Idempotency-Key` on every write route of a service with a database: keys
 * are scoped to the caller's bearer token and kept 24 h (libs/idempotency).
 * A service whose responses carry secrets passes a cipher (its master keyring),
 * so stored responses are encrypted at rest.
 */
export function writeIdempotency(options: { cipher?: ResponseCipher } = {}): DynamicModule {
  return IdempotencyModule.forRootAsync({
    inject: [DATA_SOURCE],
    useFactory: (db: DataSource | null) => {
      if (!db) throw new Error('write idempotency needs DATABASE_URL');
      return { db, scope: bearerTokenScope, cipher: options.cipher };
    },
    applyToAllRoutes: true,
  });
}
