import { DynamicModule, Module } from '@nestjs/common';
import { masterKeyring } from '@hookline/config';
import { apiKeyAuth, CoreModule, writeIdempotency } from '@hookline/service-kit';
import { ADMIN_CONFIG, type AdminConfig } from './admin-api.config';
import { ApiKeyController } from './api-keys/api-key.controller';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import { AttemptEntity } from './deliveries/attempt.entity';
import { DeliveryController } from './deliveries/delivery.controller';
import { DeliveryEntity } from './deliveries/delivery.entity';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { EndpointSealing, MASTER_KEYRING } from './endpoints/endpoint-sealing';
import { EndpointController } from './endpoints/endpoint.controller';
import { EndpointEntity } from './endpoints/endpoint.entity';
import { EndpointRepository } from './endpoints/endpoint.repository';
import { EndpointService } from './endpoints/endpoint.service';
import { PublishEndpointChanges } from './publish-endpoint-changes/publish-endpoint-changes.usecase';
import { RelayEndpointChangesJob } from './publish-endpoint-changes/relay-endpoint-changes.job';
import { ResealSecrets } from './reseal-secrets/reseal-secrets.usecase';
import { SigningKeyController } from './signing-keys/signing-key.controller';
import { SigningKeyService } from './signing-keys/signing-key.service';

@Module({})
export class AppModule {
  static register(config: AdminConfig): DynamicModule {
    // Secrets at rest: endpoint secrets, private keys, and stored idempotent responses (which carry new secrets).
    const keyring = masterKeyring(config);
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ service: 'admin-api', config, entities: [EndpointEntity, DeliveryEntity, AttemptEntity, ApiKeyEntity] }),
        writeIdempotency({ cipher: keyring }),
      ],
      controllers: [EndpointController, SigningKeyController, DeliveryController, ApiKeyController],
      providers: [
        { provide: ADMIN_CONFIG, useValue: config },
        { provide: MASTER_KEYRING, useValue: keyring },
        EndpointSealing,
        ...apiKeyAuth(config.HOOKLINE_ADMIN_TOKEN),
        ApiKeyRepository,
        ApiKeyService,
        EndpointRepository,
        EndpointService,
        PublishEndpointChanges,
        RelayEndpointChangesJob,
        ResealSecrets,
        SigningKeyService,
        DeliveryRepository,
      ],
    };
  }
}
