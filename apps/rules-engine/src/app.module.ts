import { DynamicModule, Module } from '@nestjs/common';
import type { BatchingProducer } from '@hookline/kafka';
import { CoreModule, PRODUCER, systemClock, type CoreConfig } from '@hookline/service-kit';
import { EndpointDirectory } from './endpoints/endpoint.directory';
import { AcceptedEventsConsumer } from './fan-out/accepted-events.consumer';
import { FanOut } from './fan-out/fan-out.usecase';

@Module({})
export class AppModule {
  static register(config: CoreConfig): DynamicModule {
    return {
      module: AppModule,
      // A fan-out sends a whole batch's delivery requests at once; a producer linger would only delay every delivery.
      imports: [CoreModule.forRoot({ service: 'rules-engine', config, producer: { lingerMs: 0 } })],
      providers: [
        EndpointDirectory,
        {
          provide: FanOut,
          inject: [EndpointDirectory, PRODUCER],
          useFactory: (directory: EndpointDirectory, producer: BatchingProducer) => new FanOut(directory, producer, systemClock),
        },
        AcceptedEventsConsumer,
      ],
    };
  }
}
