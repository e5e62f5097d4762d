import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { masterKeyring } from '@hookline/config';
import { checkTargetUrl, UndiciSender } from '@hookline/egress';
import { apiKeyAuth, CoreModule, LOGGER, OpenApiModule, PRODUCER, systemClock, writeIdempotency } from '@hookline/service-kit';
import type { EventId } from '@hookline/contracts';
import type { Logger } from 'pino';
import type { AdminConfig } from './admin-api.config';
import { ApiKeyController } from './api-keys/api-key.controller';
import { CONSOLE_DIR, ConsoleController, consoleDirectory } from './console/console.controller';
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
import { RetryNow } from './deliveries/retry-now/retry-now.usecase';
import { ListDeliveries } from './deliveries/list-deliveries/list-deliveries.usecase';
import { EndpointStatsController } from './endpoint-stats/endpoint-stats.controller';
import { EndpointStatsRepository } from './endpoint-stats/endpoint-stats.repository';
import { GetEndpointStats } from './endpoint-stats/get-endpoint-stats/get-endpoint-stats.usecase';
import { DisableRequestsConsumer } from './endpoints/apply-disable-requests/disable-requests.consumer';
import { ChangeEndpointState } from './endpoints/change-endpoint-state/change-endpoint-state.usecase';
import { EndpointStateController } from './endpoints/change-endpoint-state/endpoint-state.controller';
import { ActionContractController } from './action-contracts/action-contract.controller';
import { ActionContractRepository, InvocationRepository } from './action-contracts/action-contract.repository';
import { InvokeAction } from './action-contracts/invoke-action/invoke-action.usecase';
import { ManageContracts } from './action-contracts/manage-contracts/manage-contracts.usecase';
import { ResealContractSecrets } from './action-contracts/reseal-contract-secrets/reseal-contract-secrets.usecase';
import { ActionRequestsConsumer, RULE_INVOCATION_SLEEP } from './action-contracts/run-rule-invocations/action-requests.consumer';
import type { ChatSettings } from './endpoints/chat-endpoint';
import { InboundSourceController } from './inbound-sources/inbound-source.controller';
import { InboundSourceRepository } from './inbound-sources/inbound-source.repository';
import { ManageSources } from './inbound-sources/manage-sources/manage-sources.usecase';
import { CreateEndpoint } from './endpoints/create-endpoint/create-endpoint.usecase';
import { DeleteEndpoint } from './endpoints/delete-endpoint/delete-endpoint.usecase';
import { EndpointSealing, MASTER_KEYRING } from './endpoints/endpoint-sealing';
import { EndpointController } from './endpoints/endpoint.controller';
import { CatalogConditionCheck } from './conditions/condition-check';
import { EndpointEntity } from './endpoints/endpoint.entity';
import type { TargetCheck } from './endpoints/endpoint.ports';
import { EndpointRepository } from './endpoints/endpoint.repository';
import { GetEndpoint } from './endpoints/get-endpoint/get-endpoint.usecase';
import { ListEndpoints } from './endpoints/list-endpoints/list-endpoints.usecase';
import { ReadEndpointSecret } from './endpoints/read-endpoint-secret/read-endpoint-secret.usecase';
import { RotateEndpointSecret } from './endpoints/rotate-endpoint-secret/rotate-endpoint-secret.usecase';
import { UpdateEndpoint } from './endpoints/update-endpoint/update-endpoint.usecase';
import { EventController } from './events/event.controller';
import { ChangeEventType } from './event-types/change-event-type/change-event-type.usecase';
import { CreateEventType } from './event-types/create-event-type/create-event-type.usecase';
import { EventTypeController } from './event-types/event-type.controller';
import { EventTypeRepository } from './event-types/event-type.repository';
import { GetEventType } from './event-types/get-event-type/get-event-type.usecase';
import { ListEventTypes } from './event-types/list-event-types/list-event-types.usecase';
import { VersionEventType } from './event-types/version-event-type/version-event-type.usecase';
import { EventEntity } from './events/event.entity';
import { EventRepository } from './events/event.repository';
import { GetEvent } from './events/get-event/get-event.usecase';
import { PublishEndpointChanges } from './publish-endpoint-changes/publish-endpoint-changes.usecase';
import { PublishRuleChanges } from './publish-rule-changes/publish-rule-changes.usecase';
import { RelayRuleChangesJob } from './publish-rule-changes/relay-rule-changes.job';
import { ChangeRule } from './rules/change-rule/change-rule.usecase';
import { CreateRule } from './rules/create-rule/create-rule.usecase';
import { DeleteRule } from './rules/delete-rule/delete-rule.usecase';
import { GetRule } from './rules/get-rule/get-rule.usecase';
import { ListRules } from './rules/list-rules/list-rules.usecase';
import { ReplaceRule } from './rules/replace-rule/replace-rule.usecase';
import { RuleDefinition } from './rules/rule-definition';
import { RuleController } from './rules/rule.controller';
import { RuleRepository } from './rules/rule.repository';
import { TrialRule, type TrialTools } from './rules/trial-rule/trial-rule.usecase';
import { PublishEventTypeChanges } from './publish-event-type-changes/publish-event-type-changes.usecase';
import { RelayEventTypeChangesJob } from './publish-event-type-changes/relay-event-type-changes.job';
import { RelayEndpointChangesJob } from './publish-endpoint-changes/relay-endpoint-changes.job';
import { PublishStateEvents } from './publish-state-events/publish-state-events.usecase';
import { RelayStateEventsJob } from './publish-state-events/relay-state-events.job';
import { StateEventOutboxRepository } from './publish-state-events/state-event-outbox.repository';
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
import { GetTenantSettings } from './tenant-settings/get-tenant-settings/get-tenant-settings.usecase';
import { TenantSettingsController } from './tenant-settings/tenant-settings.controller';
import { TenantSettingsEntity } from './tenant-settings/tenant-settings.entity';
import { TenantSettingsRepository } from './tenant-settings/tenant-settings.repository';
import { UpdateTenantSettings } from './tenant-settings/update-tenant-settings/update-tenant-settings.usecase';
import { PreviewDelivery } from './test-mode/preview-delivery/preview-delivery.usecase';
import { SampleData } from './test-mode/sample-data';
import { SendTestDelivery } from './test-mode/send-test-delivery/send-test-delivery.usecase';
import { newTestEventId } from './test-mode/test-event';
import { TestModeController } from './test-mode/test-mode.controller';

const CLOCK = Symbol('CLOCK');
const TARGET_CHECK = Symbol('TARGET_CHECK');
const CHAT_SETTINGS = Symbol('CHAT_SETTINGS');
const HTTP_SENDER = Symbol('HTTP_SENDER');
const TEST_EVENT_IDS = Symbol('TEST_EVENT_IDS');
const TRIAL_TOOLS = Symbol('TRIAL_TOOLS');

@Injectable()
class SenderLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HTTP_SENDER) private readonly sender: UndiciSender) {}
  onApplicationShutdown(): Promise<void> {
    return this.sender.close();
  }
}
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
      // A job goes at the configured pace, or at the endpoint's own rate limit when that is lower.
      rateFor: (endpoint) => Math.min(config.HOOKLINE_RECOVERY_RATE, endpoint.rateLimit?.perSecond ?? Infinity),
    };
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({
          service: 'admin-api',
          config,
          entities: [EndpointEntity, DeliveryEntity, AttemptEntity, EventEntity, ApiKeyEntity, TenantSettingsEntity],
        }),
        writeIdempotency({ cipher: keyring }),
        OpenApiModule.forRoot(
          {
            title: 'Hookline admin API',
            version: '1',
            description:
              'Endpoints (webhook and chat), their secrets and keys, the event catalog, automation rules, action contracts, API keys, and the delivery log. Every route but `/health/*` and `/metrics` takes an API key.',
          },
          { idempotentWrites: true },
        ),
      ],
      controllers: [
        EndpointController,
        EndpointStateController,
        EndpointStatsController,
        SigningKeyController,
        DeliveryController,
        ReplayController,
        RecoveryController,
        RecoveryJobController,
        EventController,
        EventTypeController,
        RuleController,
        ActionContractController,
        InboundSourceController,
        ApiKeyController,
        TestModeController,
        TenantSettingsController,
        ConsoleController,
      ],
      providers: [
        { provide: MASTER_KEYRING, useValue: keyring },
        { provide: CONSOLE_DIR, useValue: consoleDirectory(config.HOOKLINE_CONSOLE_DIR) },
        { provide: CLOCK, useValue: systemClock },
        { provide: NEW_ID, useValue: randomUUID },
        { provide: SLEEP, useValue: (ms: number) => sleep(ms) },
        { provide: RECOVERY_RUNNER, useValue: recoveryRunner },
        { provide: CHAT_SETTINGS, useValue: { telegramApiUrl: config.HOOKLINE_TELEGRAM_API_URL } satisfies ChatSettings },
        {
          provide: TARGET_CHECK,
          inject: [LOGGER],
          useFactory: (logger: Logger) => {
            if (config.HOOKLINE_ALLOW_PRIVATE_TARGETS)
              logger.warn('HOOKLINE_ALLOW_PRIVATE_TARGETS=true: endpoints may use http and private addresses; use only for local development');
            return checkTarget;
          },
        },
        // Test sends leave through the dispatcher's SSRF-safe egress, under the same HOOKLINE_ALLOW_PRIVATE_TARGETS rule as endpoint URLs.
        {
          provide: HTTP_SENDER,
          inject: [LOGGER],
          useFactory: (logger: Logger) =>
            new UndiciSender({
              allowPrivateTargets: config.HOOKLINE_ALLOW_PRIVATE_TARGETS,
              onBlocked: (info) => logger.warn({ host: info.hostname, address: info.address, reason: info.reason }, 'SSRF block: refused to connect'),
            }),
        },
        { provide: TEST_EVENT_IDS, useValue: newTestEventId },
        ...apiKeyAuth(config.HOOKLINE_ADMIN_TOKEN),
        EndpointSealing,
        EndpointRepository,
        ApiKeyRepository,
        DeliveryRepository,
        EventRepository,
        EndpointStatsRepository,
        TenantSettingsRepository,
        ReplayRepository,
        RecoveryLogRepository,
        RecoveryJobRepository,
        useCase(PublishEndpointChanges, endpoints, PRODUCER, LOGGER),
        useCase(CreateEndpoint, endpoints, publication, EndpointSealing, TARGET_CHECK, CLOCK, CatalogConditionCheck, CHAT_SETTINGS),
        useCase(ListEndpoints, endpoints),
        useCase(GetEndpoint, endpoints),
        StateEventOutboxRepository,
        useCase(PublishStateEvents, StateEventOutboxRepository, PRODUCER, LOGGER),
        useCase(ChangeEndpointState, endpoints, publication, PublishStateEvents, CLOCK),
        useCase(UpdateEndpoint, endpoints, publication, EndpointSealing, TARGET_CHECK, ChangeEndpointState, CatalogConditionCheck, CHAT_SETTINGS),
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
        useCase(GetDelivery, DeliveryRepository, DeliveryRepository),
        useCase(RetryNow, DeliveryRepository, DeliveryRepository),
        useCase(GetEvent, EventRepository, DeliveryRepository),
        useCase(GetEndpointStats, endpoints, EndpointStatsRepository, CLOCK),
        useCase(PreviewDelivery, endpoints, EndpointSealing, CLOCK, LOGGER),
        useCase(SendTestDelivery, endpoints, EndpointSealing, HTTP_SENDER, PRODUCER, CLOCK, TEST_EVENT_IDS, LOGGER),
        EventTypeRepository,
        useCase(CatalogConditionCheck, EventTypeRepository),
        useCase(PublishEventTypeChanges, EventTypeRepository, PRODUCER, LOGGER),
        useCase(ListEventTypes, EventTypeRepository),
        useCase(GetEventType, EventTypeRepository),
        useCase(CreateEventType, EventTypeRepository, PublishEventTypeChanges),
        useCase(VersionEventType, EventTypeRepository, PublishEventTypeChanges),
        useCase(ChangeEventType, EventTypeRepository, PublishEventTypeChanges),
        useCase(SampleData, EventTypeRepository),
        RuleRepository,
        useCase(PublishRuleChanges, RuleRepository, PRODUCER, LOGGER),
        useCase(RuleDefinition, CatalogConditionCheck, RuleRepository, RuleRepository),
        useCase(CreateRule, RuleRepository, RuleDefinition, PublishRuleChanges, NEW_ID),
        useCase(ListRules, RuleRepository),
        useCase(GetRule, RuleRepository),
        useCase(ReplaceRule, RuleRepository, RuleDefinition, PublishRuleChanges),
        useCase(ChangeRule, RuleRepository, PublishRuleChanges),
        useCase(DeleteRule, RuleRepository, PublishRuleChanges, CLOCK),
        {
          provide: TRIAL_TOOLS,
          inject: [SampleData, PreviewDelivery, SendTestDelivery, TEST_EVENT_IDS, InvokeAction],
          useFactory: (sample: SampleData, preview: PreviewDelivery, send: SendTestDelivery, ids: () => EventId, invokeAction: InvokeAction): TrialTools => ({
            sampleData: (tenantId, type, data) => sample.of(tenantId, type, data),
            preview: (endpoint, delivery, timestamp) => preview.request(endpoint, delivery, timestamp),
            send: (endpoint, request) => send.send(endpoint, request),
            newEventId: ids,
            invoke: (tenantId, contractId, input, invoker) => invokeAction.execute(tenantId, contractId, input, invoker),
          }),
        },
        useCase(TrialRule, RuleRepository, endpoints, TRIAL_TOOLS, CLOCK),
        useCase(GetTenantSettings, TenantSettingsRepository),
        useCase(UpdateTenantSettings, TenantSettingsRepository),
        useCase(ReplayDelivery, ReplayRepository, endpoints, PRODUCER, CLOCK),
        useCase(StartRecovery, endpoints, RecoveryLogRepository, RecoveryJobRepository, CLOCK, NEW_ID),
        useCase(GetRecoveryJob, RecoveryJobRepository),
        useCase(ListRecoveryJobs, RecoveryJobRepository),
        useCase(CancelRecoveryJob, RecoveryJobRepository),
        useCase(RunRecovery, RecoveryJobRepository, RecoveryLogRepository, endpoints, PRODUCER, CLOCK, SLEEP, RECOVERY_RUNNER, LOGGER),
        RelayEndpointChangesJob,
        RelayStateEventsJob,
        RelayEventTypeChangesJob,
        RelayRuleChangesJob,
        DisableRequestsConsumer,
        ActionContractRepository,
        InvocationRepository,
        InboundSourceRepository,
        useCase(ManageSources, InboundSourceRepository, MASTER_KEYRING),
        useCase(ManageContracts, ActionContractRepository, MASTER_KEYRING, TARGET_CHECK),
        useCase(ResealContractSecrets, ActionContractRepository, MASTER_KEYRING, LOGGER),
        useCase(InvokeAction, ActionContractRepository, InvocationRepository, MASTER_KEYRING, HTTP_SENDER, CLOCK, LOGGER),
        { provide: RULE_INVOCATION_SLEEP, useValue: (ms: number) => sleep(ms) },
        ActionRequestsConsumer,
        RunRecoveryJob,
        ResealSecretsAtStart,
        SenderLifecycle,
      ],
    };
  }
}
