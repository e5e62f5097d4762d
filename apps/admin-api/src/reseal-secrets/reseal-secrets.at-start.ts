import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { ResealContractSecrets } from '../action-contracts/reseal-contract-secrets/reseal-contract-secrets.usecase';
import { ResealSecrets } from './reseal-secrets.usecase';

/** Reseals once per admin-api start, in the background: requests are served meanwhile, with values that still open. */
@Injectable()
export class ResealSecretsAtStart implements OnApplicationBootstrap {
  constructor(
    private readonly resealSecrets: ResealSecrets,
    private readonly resealContractSecrets: ResealContractSecrets,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.resealSecrets.execute().catch((err) => this.logger.error({ err }, 'resealing endpoint secrets failed; it runs again at the next start'));
    void this.resealContractSecrets
      .execute()
      .catch((err) => this.logger.error({ err }, 'resealing action contract secrets failed; it runs again at the next start'));
  }
}
