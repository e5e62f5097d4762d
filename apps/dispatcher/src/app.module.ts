import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { masterKeyring } from '@hookline/config';
import { UndiciSender, type HttpSender } from '@hookline/egress';
import type { BatchingProducer } from '@hookline/kafka';
import { CoreModule, LOGGER, PRODUCER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { DeliverAttempt } from './deliver-attempt/deliver-attempt.usecase';
import { DeliveryRequestsConsumer } from './dispatch-request/delivery-requests.consumer';
import { DispatchRequest } from './dispatch-request/dispatch-request.usecase';
import { EndpointLimiter, realTimers } from './dispatch-request/endpoint-limiter';
import { LoopHorizon } from './dispatch-request/loop-horizon';
import { ShedBacklogJob } from './dispatch-request/shed-backlog.job';
import type { DispatcherConfig } from './dispatcher.config';
import { EndpointCache } from './endpoints/endpoint.cache';
import { EndpointSigner } from './signing/endpoint-signer';

const HTTP_SENDER = Symbol('HTTP_SENDER');

@Injectable()
class SenderLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HTTP_SENDER) private readonly sender: UndiciSender) {}
  onApplicationShutdown(): Promise<void> {
    return this.sender.close();
  }
}

@Module({})
export class AppModule {
  static register(config: DispatcherConfig): DynamicModule {
    return {
      module: AppModule,
      // Outcomes and deferrals are off the delivery path (the request has been sent, or is not to be sent yet): a longer
      // linger gathers more of them per produce request at moderate rates, at no cost to delivery latency.
      imports: [CoreModule.forRoot({ service: 'dispatcher', config, producer: { lingerMs: 20, maxBatch: 500 } })],
      providers: [
        {
          provide: HTTP_SENDER,
          inject: [LOGGER],
          useFactory: (logger: Logger) => {
            if (config.HOOKLINE_ALLOW_PRIVATE_TARGETS)
              logger.warn('HOOKLINE_ALLOW_PRIVATE_TARGETS=true: plain http and private addresses are allowed; use only for local development');
            return new UndiciSender({
              allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS,
              onBlocked: (info) => logger.warn({ host: info.hostname, address: info.address, reason: info.reason }, 'SSRF block: refused to connect'),
            });
          },
        },
        {
          provide: DeliverAttempt,
          inject: [HTTP_SENDER],
          useFactory: (http: HttpSender) => new DeliverAttempt(http, new EndpointSigner(masterKeyring(config))),
        },
        {
          provide: DispatchRequest,
          inject: [EndpointCache, DeliverAttempt, PRODUCER, LOGGER],
          useFactory: (endpoints: EndpointCache, attempt: DeliverAttempt, producer: BatchingProducer, logger: Logger) =>
            new DispatchRequest(
              endpoints,
              attempt,
              producer,
              new EndpointLimiter(config.DISPATCHER_ENDPOINT_CONCURRENCY, Date.now, realTimers, new LoopHorizon(Date.now, realTimers)),
              {
                concurrency: config.DISPATCHER_ENDPOINT_CONCURRENCY,
                queueLimit: config.DISPATCHER_ENDPOINT_QUEUE,
                // Half a partition's window per endpoint: the other half stays for the endpoints sharing it. Only an endpoint
                // whose whole backlog starts within the wait bound goes beyond, up to the window (fetching then pauses).
                share: Math.max(1, Math.floor(config.DISPATCHER_PARTITION_WINDOW / 2)),
                window: config.DISPATCHER_PARTITION_WINDOW,
              },
              Math.random,
              logger,
            ),
        },
        SenderLifecycle,
        EndpointCache,
        DeliveryRequestsConsumer,
        ShedBacklogJob,
      ],
    };
  }
}
