import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamicModule, Module, type Provider } from '@nestjs/common';
import { masterKeyring } from '@hookline/config';
import { checkTargetUrl } from '@hookline/egress';
import { apiKeyAuth, CoreModule, LOGGER, PRODUCER, systemClock, writeIdempotency } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { AdminConfig } from './admin-api.config';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { CreateApiKey } from './api-keys/create-api-key/create-api-key.usecase';
import { ListApiKeys } from './api-keys/list-api-keys/list-api-keys.usecase';
import { RevokeApiKey } from './api-keys/revoke-api-key/revoke-api-key.usecase';
import { AttemptEntity } from './deliveries/attempt.entity';
import { DeliveryController } from './deliveries/delivery.controller';
import { DeliveryEntity } from './deliveries/delivery.entity';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { GetDelivery } from './deliveries/get-delivery/get-delivery.usecase';
import { ListDeliveries } from './deliveries/list-deliveries/list-deliveries.usecase';
import { EndpointStatsController } from './endpoint-stats/endpoint-stats.controller';
import { EndpointStatsRepository } from './endpoint-stats/endpoint-stats.repository';
import { GetEndpointStats } from './endpoint-stats/get-endpoint-stats/get-endpoint-stats.usecase';
import { CreateEndpoint } from './endpoints/create-endpoint/create-endpoint.usecase';
import { DeleteEndpoint } from './endpoints/delete-endpoint/delete-endpoint.usecase';
import { EndpointSealing, MASTER_KEYRING } from './endpoints/endpoint-sealing';
import { EndpointController } from './endpoints/endpoint.controller';
import { EndpointEntity } from './endpoints/endpoint.entity';
import type { TargetCheck } from './endpoints/endpoint.ports';
import { EndpointRepository } from './endpoints/endpoint.repository';
import { GetEndpoint } from './endpoints/get-endpoint/get-endpoint.usecase';
import { ListEndpoints } from './endpoints/list-endpoints/list-endpoints.usecase';
import { ReadEndpointSecret } from './endpoints/read-endpoint-secret/read-endpoint-secret.usecase';
import { RotateEndpointSecret } from './endpoints/rotate-endpoint-secret/rotate-endpoint-secret.usecase';
import { UpdateEndpoint } from './endpoints/update-endpoint/update-endpoint.usecase';
import { EventController } from './events/event.controller';
import { EventEntity } from './events/event.entity';
import { EventRepository } from './events/event.repository';
import { GetEvent } from './events/get-event/get-event.usecase';
import { PublishEndpointChanges } from './publish-endpoint-changes/publish-endpoint-changes.usecase';
import { RelayEndpointChangesJob } from './publish-endpoint-changes/relay-endpoint-changes.job';
import { CancelRecoveryJob } from './recovery/cancel-recovery-job/cancel-recovery-job.usecase';
import { GetRecoveryJob } from './recovery/get-recovery-job/get-recovery-job.usecase';
import { ListRecoveryJobs } from './recovery/list-recovery-jobs/list-recovery-jobs.usecase';
import { RecoveryJobRepository } from './recovery/recovery-job.repository';
import { RecoveryLogRepository } from './recovery/recovery-log.repository';
import { RecoveryController, RecoveryJobController } from './recovery/recovery.controller';
import { RunRecoveryJob } from './recovery/run-recovery/run-recovery.job';
import { RunRecovery, type RecoveryRunnerOptions } from './recovery/run-recovery/run-recovery.usecase';
import { StartRecovery } from './recovery/start-recovery/start-recovery.usecase';
import { ReplayDelivery } from './replay/replay-delivery/replay-delivery.usecase';
import { ReplayController } from './replay/replay.controller';
import { ReplayRepository } from './replay/replay.repository';
import { ResealSecretsAtStart } from './reseal-secrets/reseal-secrets.at-start';
import { ResealSecrets } from './reseal-secrets/reseal-secrets.usecase';
import { AddSigningKey } from './signing-keys/add-signing-key/add-signing-key.usecase';
import { DeleteSigningKey } from './signing-keys/delete-signing-key/delete-signing-key.usecase';
import { SigningKeyController } from './signing-keys/signing-key.controller';

const CLOCK = Symbol('CLOCK');
const TARGET_CHECK = Symbol('TARGET_CHECK');
const NEW_ID = Symbol('NEW_ID');
const SLEEP = Symbol('SLEEP');
const RECOVERY_RUNNER = Symbol('RECOVERY_RUNNER');

/** A use case built from the providers named by `inject`, in its constructor's order. */
function useCase<T>(type: new (...args: never[]) => T, ...inject: unknown[]): Provider {
  return { provide: type, inject: inject as never[], useFactory: (...args: never[]) => new type(...args) };
}

@Module({})
export class AppModule {
  static register(config: AdminConfig): DynamicModule {
    // Secrets at rest: endpoint secrets, private keys, and stored idempotent responses (which carry new secrets).
    const keyring = masterKeyring(config);
    const checkTarget: TargetCheck = (url) => checkTargetUrl(url, { allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS });
    const endpoints = EndpointRepository;
    const publication = PublishEndpointChanges;
    const recoveryRunner: RecoveryRunnerOptions = {
      // Unique per process: a restarted instance must wait for its predecessor's lease like any other runner.
      owner: `${hostname()}:${process.pid}:${randomUUID()}`,
      leaseMs: config.HOOKLINE_RECOVERY_LEASE_MS,
      // Endpoints carry no rate limit of their own yet: every job goes at the configured pace.
      rateFor: () => config.HOOKLINE_RECOVERY_RATE,
    };
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ service: 'admin-api', config, entities: [EndpointEntity, DeliveryEntity, AttemptEntity, EventEntity, ApiKeyEntity] }),
        writeIdempotency({ cipher: keyring }),
      ],
      controllers: [
        EndpointController,
        EndpointStatsController,
        SigningKeyController,
        DeliveryController,
        ReplayController,
        RecoveryController,
        RecoveryJobController,
        EventController,
        ApiKeyController,
      ],
      providers: [
        { provide: MASTER_KEYRING, useValue: keyring },
        { provide: CLOCK, useValue: systemClock },
        { provide: NEW_ID, useValue: randomUUID },
        { provide: SLEEP, useValue: (ms: number) => sleep(ms) },
        { provide: RECOVERY_RUNNER, useValue: recoveryRunner },
        {
          provide: TARGET_CHECK,
          inject: [LOGGER],
          useFactory: (logger: Logger) => {
            if (config.HOOKLINE_ALLOW_PRIVATE_TARGETS)
              logger.warn('HOOKLINE_ALLOW_PRIVATE_TARGETS=true: endpoints may use http and private addresses; use only for local development');
            return checkTarget;
          },
        },
        ...apiKeyAuth(config.HOOKLINE_ADMIN_TOKEN),
        EndpointSealing,
        EndpointRepository,
        ApiKeyRepository,
        DeliveryRepository,
        EventRepository,
        EndpointStatsRepository,
        ReplayRepository,
        RecoveryLogRepository,
        RecoveryJobRepository,
        useCase(PublishEndpointChanges, endpoints, PRODUCER, LOGGER),
        useCase(CreateEndpoint, endpoints, publication, EndpointSealing, TARGET_CHECK, CLOCK),
        useCase(ListEndpoints, endpoints),
        useCase(GetEndpoint, endpoints),
        useCase(UpdateEndpoint, endpoints, publication, EndpointSealing, TARGET_CHECK),
        useCase(DeleteEndpoint, endpoints, publication, CLOCK),
        useCase(ReadEndpointSecret, endpoints, EndpointSealing, CLOCK, LOGGER),
        useCase(RotateEndpointSecret, endpoints, publication, EndpointSealing, CLOCK),
        useCase(AddSigningKey, endpoints, publication, EndpointSealing),
        useCase(DeleteSigningKey, endpoints, publication),
        useCase(ResealSecrets, endpoints, EndpointSealing, publication, LOGGER),
        useCase(CreateApiKey, ApiKeyRepository),
        useCase(ListApiKeys, ApiKeyRepository),
        useCase(RevokeApiKey, ApiKeyRepository),
        useCase(ListDeliveries, DeliveryRepository),
        useCase(GetDelivery, DeliveryRepository),
        useCase(GetEvent, EventRepository, DeliveryRepository),
        useCase(GetEndpointStats, endpoints, EndpointStatsRepository, CLOCK),
        useCase(ReplayDelivery, ReplayRepository, endpoints, PRODUCER, CLOCK),
        useCase(StartRecovery, endpoints, RecoveryLogRepository, RecoveryJobRepository, CLOCK, NEW_ID),
        useCase(GetRecoveryJob, RecoveryJobRepository),
        useCase(ListRecoveryJobs, RecoveryJobRepository),
        useCase(CancelRecoveryJob, RecoveryJobRepository),
        useCase(RunRecovery, RecoveryJobRepository, RecoveryLogRepository, endpoints, PRODUCER, CLOCK, SLEEP, RECOVERY_RUNNER, LOGGER),
        RelayEndpointChangesJob,
        RunRecoveryJob,
        ResealSecretsAtStart,
      ],
    };
  }
}
