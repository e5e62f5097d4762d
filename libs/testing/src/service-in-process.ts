import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { TopicContract } from '@hookline/contracts';
import { configureServiceApp, ConsumersHost, KAFKA_ADMIN, PRODUCER } from '@hookline/service-kit';
import type { AddressInfo } from 'node:net';

/** What a service in process produced, in order: the topic's contract name and the message. */
export interface Produced {
  topic: string;
  key?: string;
  value: unknown;
}

export interface InProcessService {
  readonly url: string;
  readonly produced: Produced[];
  /** Calls the service's HTTP API with `token` as the bearer key (none when undefined). */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  /** Every route the HTTP server serves, as Express registered it (`/v1/tenants/:tenantId/endpoints`). */
  servedRoutes(): { method: string; path: string }[];
  /** One of the service's providers (a periodic job, to run it now). */
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * Runs one service's Nest application in this process, on its real database
 * and HTTP stack (guards, pipes, the error filter, the body parser: everything
 * `runService` sets up), but without Kafka: what it produces is recorded, its
 * readiness sees a broker, and its consumers do not start. For the tests of
 * its HTTP API; the pipeline itself is tested end to end.
 */
export async function startServiceInProcess(
  module: DynamicModule,
  options: {
    jsonLimit?: string;
    rawBodies?: Record<string, string>;
    /** Providers replaced by a value: what reads a Kafka topic (a compacted view) has no broker here. */
    overrides?: { provide: unknown; useValue: unknown }[];
  } = {},
): Promise<InProcessService> {
  const produced: Produced[] = [];
  const producer = {
    send: async (contract: TopicContract, messages: { key?: string; value: unknown }[]) => {
      for (const m of messages) produced.push({ topic: contract.name, key: m.key, value: m.value });
    },
    connect: async () => undefined,
    disconnect: async () => undefined,
    flush: async () => undefined,
  };
  const admin = { describeCluster: async () => ({ brokers: [], controller: null, clusterId: 'in-process' }), disconnect: async () => undefined };
  let builder = Test.createTestingModule({ imports: [module] });
  for (const { provide, useValue } of options.overrides ?? []) builder = builder.overrideProvider(provide).useValue(useValue);
  const testing = await builder
    .overrideProvider(PRODUCER)
    .useValue(producer)
    .overrideProvider(KAFKA_ADMIN)
    .useValue(admin)
    .overrideProvider(ConsumersHost)
    .useValue({})
    .compile();
  const app = testing.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureServiceApp(app, options.jsonLimit, options.rawBodies);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    url,
    produced,
    async call(method, path, { token, body, rawBody, headers } = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined && rawBody === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('json') ?? true;
      return { status: res.status, body: text && json ? JSON.parse(text) : (text as never) };
    },
    servedRoutes() {
      const router = (app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }).router;
      return router.stack.flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method.toLowerCase(), path: layer.route!.path })) : [],
      );
    },
    get: (type) => app.get(type),
    close: () => app.close(),
  };
}

/** The part of an Express 5 router layer a route list needs. */
interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}
