import {
  type DynamicModule,
  type FactoryProvider,
  Inject,
  Injectable,
  Logger,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IDEMPOTENCY_INTERCEPTOR_OPTIONS, IdempotencyInterceptor, type IdempotencyInterceptorOptions } from './idempotency.interceptor';
import { IdempotencyStore, type IdempotencyStoreOptions } from './idempotency.store';
import type { SqlRunner } from './sql-runner';

export interface IdempotencyModuleOptions extends IdempotencyStoreOptions, IdempotencyInterceptorOptions {
  /** The service's PostgreSQL: service-kit's DATA_SOURCE (a TypeORM DataSource) fits. */
  db: SqlRunner;
  /** How often this instance deletes expired keys. Default 1 h; 0 turns it off. */
  purgeEveryMs?: number;
}

export interface IdempotencyModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest's own factory providers take any injected values
  useFactory: (...deps: any[]) => IdempotencyModuleOptions | Promise<IdempotencyModuleOptions>;
  inject?: FactoryProvider['inject'];
  /** Register the interceptor for every route of the application (APP_INTERCEPTOR). */
  applyToAllRoutes?: boolean;
}

const IDEMPOTENCY_MODULE_OPTIONS = Symbol('IDEMPOTENCY_MODULE_OPTIONS');
const HOUR_MS = 60 * 60 * 1000;

/** Deletes expired keys on a timer, so the table stays about one day of writes. */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_MODULE_OPTIONS) private readonly options: IdempotencyModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.options.purgeEveryMs ?? HOUR_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.purge(), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      const deleted = await this.store.purgeExpired();
      if (deleted > 0) this.logger.log({ deleted }, 'expired idempotency keys purged');
    } catch (error) {
      this.logger.error({ err: error }, 'purging expired idempotency keys failed');
    }
  }
}

/**
 * Provides IdempotencyStore and IdempotencyInterceptor to the whole
 * application (global module), and purges expired keys hourly.
 */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyModuleOptions, applyToAllRoutes = false): DynamicModule {
    return IdempotencyModule.forRootAsync({ useFactory: () => options, applyToAllRoutes });
  }

  static forRootAsync(options: IdempotencyModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: IDEMPOTENCY_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      {
        provide: IdempotencyStore,
        inject: [IDEMPOTENCY_MODULE_OPTIONS],
        useFactory: (o: IdempotencyModuleOptions) => {
          const logger = new Logger(IdempotencyStore.name);
          return new IdempotencyStore(o.db, {
            onHeartbeatError: (error, lease) => logger.warn({ err: error, key: lease.key }, 'idempotency lease heartbeat failed'),
            ...o,
          });
        },
      },
      { provide: IDEMPOTENCY_INTERCEPTOR_OPTIONS, useExisting: IDEMPOTENCY_MODULE_OPTIONS },
      IdempotencyInterceptor,
      IdempotencyPurger,
    ];
    if (options.applyToAllRoutes) providers.push({ provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor });
    return {
      global: true,
      module: IdempotencyModule,
      imports: options.imports ?? [],
      providers,
      // The options too: `@UseInterceptors(IdempotencyInterceptor)` builds the
      // interceptor inside the controller's module, which must see its dependencies.
      exports: [IdempotencyStore, IdempotencyInterceptor, IDEMPOTENCY_INTERCEPTOR_OPTIONS],
    };
  }
}
