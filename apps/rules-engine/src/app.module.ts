import { DynamicModule, Module } from '@nestjs/common';
import type { BatchingProducer } from '@hookline/kafka';
import { CoreModule, LOGGER, PRODUCER, systemClock, type CoreConfig } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { EndpointDirectory } from './endpoints/endpoint.directory';
import { AcceptedEventsConsumer } from './fan-out/accepted-events.consumer';
import { FanOut } from './fan-out/fan-out.usecase';
import { RuleDirectory } from './rules/rule.directory';

@Module({})
export class AppModule {
  static register(config: CoreConfig): DynamicModule {
    return {
      module: AppModule,
      // A fan-out sends a whole batch's delivery requests at once; a producer linger would only delay every delivery.
      imports: [CoreModule.forRoot({ service: 'rules-engine', config, producer: { lingerMs: 0 } })],
      providers: [
        EndpointDirectory,
        RuleDirectory,
        {
          provide: FanOut,
          inject: [EndpointDirectory, RuleDirectory, PRODUCER, LOGGER],
          useFactory: (directory: EndpointDirectory, rules: RuleDirectory, producer: BatchingProducer, logger: Logger) =>
            new FanOut(directory, rules, producer, systemClock, logger),
        },
        AcceptedEventsConsumer,
      ],
    };
  }
}
