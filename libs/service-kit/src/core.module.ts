import { DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ALL_TOPICS } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { BatchingProducer, createKafka, ensureTopics, TopicNames, type KafkaAdmin, type KafkaClient } from '@hookline/kafka';
import { shutdownTelemetry } from '@hookline/telemetry';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { ConsumersHost } from './consumers/consumers.host';
import { Declarations } from './discovery';
import { HealthController, READINESS_CHECKS } from './health/health.controller';
import { Readiness } from './health/readiness';
import { JobsHost } from './jobs/jobs.host';
import { createLogger } from './logging/logger';
import { MetricsController } from './metrics/metrics.controller';
import { CONFIG, DATA_SOURCE, KAFKA, KAFKA_ADMIN, LOGGER, PRODUCER, TOPICS } from './tokens';

export interface CoreConfig {
  KAFKA_BROKERS: string;
  HOOKLINE_TOPIC_PREFIX: string;
  HOOKLINE_TOPIC_PARTITIONS: number;
  LOG_LEVEL: string;
  HOOKLINE_CONSUMER_STUCK_AFTER_MS?: number;
  DATABASE_URL?: string;
  DATABASE_POOL_SIZE?: number;
}

export interface CoreOptions {
  service: string;
  config: CoreConfig;
  /** TypeORM entities; when given, the service opens (and migrates) PostgreSQL. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  producer?: { lingerMs?: number; maxBatch?: number };
}

@Injectable()
class CoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(KAFKA_ADMIN) private readonly admin: KafkaAdmin,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource | null,
  ) {}

  // Consumers stop in beforeApplicationShutdown; by now nothing produces any more.
  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.producer.disconnect().catch((err) => this.logger.error({ err }, 'producer flush failed at shutdown'));
    await this.admin.disconnect().catch(() => undefined);
    await this.dataSource?.destroy().catch(() => undefined);
    await shutdownTelemetry().catch(() => undefined);
    this.logger.info({ signal }, 'stopped');
  }
}

/**
 * pino-http binds every request to a child logger, used or not (requests are not
 * logged, autoLogging is off): only its id, method and URL, so no request's
 * headers are serialized and redacted just to be dropped.
 */
const requestBinding = (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: req.url });

/**
 * What every Hookline service shares: validated config, the pino logger, the
 * Kafka client with its topics ensured, one batching producer, PostgreSQL when
 * asked for, the health and metrics endpoints, and the hosts that run the
 * service's declared consumers (`@ConsumeBatches`, `@ConsumeEach`) and
 * periodic jobs (`@PeriodicJob`).
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    const { config } = options;
    const logger = createLogger(options.service, config.LOG_LEVEL);
    const providers: Provider[] = [
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: TOPICS, useValue: new TopicNames(config.HOOKLINE_TOPIC_PREFIX) },
      {
        provide: KAFKA,
        useValue: createKafka({
          brokers: config.KAFKA_BROKERS.split(','),
          clientId: `hookline-${options.service}`,
          logger,
        }),
      },
      {
        provide: KAFKA_ADMIN,
        inject: [KAFKA, TOPICS],
        useFactory: async (kafka: KafkaClient, topics: TopicNames) => {
          const admin = kafka.admin();
          await admin.connect();
          await ensureTopics(admin, topics, ALL_TOPICS, config.HOOKLINE_TOPIC_PARTITIONS);
          return admin;
        },
      },
      {
        provide: PRODUCER,
        inject: [KAFKA, TOPICS, KAFKA_ADMIN],
        useFactory: async (kafka: KafkaClient, topics: TopicNames) => {
          const producer = new BatchingProducer(kafka, topics, options.producer);
          await producer.connect();
          return producer;
        },
      },
      {
        provide: DATA_SOURCE,
        // Loaded only by a service with a database: TypeORM alone is ~30 MB of a process's memory (docs/small-box.md).
        useFactory: async () =>
          options.entities && config.DATABASE_URL
            ? (await import('@hookline/database')).openDatabase({
                url: config.DATABASE_URL,
                poolSize: config.DATABASE_POOL_SIZE ?? 10,
                entities: options.entities,
                logger,
                applicationName: `hookline-${options.service}`,
              })
            : null,
      },
      {
        provide: Readiness,
        inject: [KAFKA_ADMIN, DATA_SOURCE],
        useFactory: async (admin: KafkaAdmin, dataSource: DataSource | null) => {
          const readiness = new Readiness();
          readiness.add('kafka', async () => void (await admin.describeCluster()));
          if (dataSource) {
            const { pingDatabase } = await import('@hookline/database');
            readiness.add('postgresql', () => pingDatabase(dataSource));
          }
          return readiness;
        },
      },
      { provide: READINESS_CHECKS, inject: [Readiness], useFactory: (r: Readiness) => r.checks },
      CoreLifecycle,
      Declarations,
      ConsumersHost,
      JobsHost,
    ];
    return {
      module: CoreModule,
      imports: [
        DiscoveryModule,
        TerminusModule,
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false, quietReqLogger: true, wrapSerializers: false, serializers: { req: requestBinding } } }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [CONFIG, LOGGER, KAFKA, KAFKA_ADMIN, TOPICS, PRODUCER, DATA_SOURCE, Readiness],
    };
  }
}
