import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from '@hookline/database';
import { IdempotencyModule, IdempotencyStore, type ResponseCipher } from '@hookline/idempotency';
import type { Caller } from './auth/scopes';
import { toErrorBody } from './http/error-body.filter';
import { PeriodicJob } from './jobs/periodic-job.decorator';
import { DATA_SOURCE } from './tokens';

@Injectable()
class PurgeIdempotencyKeysJob {
  constructor(private readonly store: IdempotencyStore) {}

  /** Hourly: keys live 24 h, so the table stays about a day of writes. */
  @PeriodicJob({ name: 'purge-idempotency-keys', everyMs: 3_600_000 })
  async run(): Promise<void> {
    await this.store.purgeExpired();
  }
}

@Module({})
class WriteIdempotencyModule {}

/**
 * `Idempotency-Key` on every write route of a service with a database: keys
 * are scoped to the caller's API key (its id, resolved by the auth guard,
 * which runs before interceptors) and kept 24 h (libs/idempotency); a stored
 * error replays the service's own error body; expired keys are purged by a
 * periodic job. A service whose responses carry secrets passes a cipher (its
 * master keyring), so stored responses are encrypted at rest.
 */
export function writeIdempotency(options: { cipher?: ResponseCipher } = {}): DynamicModule {
  return {
    module: WriteIdempotencyModule,
    imports: [
      IdempotencyModule.forRootAsync({
        inject: [DATA_SOURCE],
        useFactory: (db: DataSource | null) => {
          if (!db) throw new Error('write idempotency needs DATABASE_URL');
          return {
            db,
            scope: (request: { headers: object; caller?: Caller }) => (request.caller ? `key:${request.caller.keyId}` : undefined),
            cipher: options.cipher,
            renderError: toErrorBody,
            purgeEveryMs: 0,
          };
        },
        applyToAllRoutes: true,
      }),
    ],
    providers: [PurgeIdempotencyKeysJob],
  };
}
