import type { Logger } from 'pino';
import { contractSecretContext, type Keyring } from '../action-contract-sealing';
import type { ContractStore } from '../action-contract.ports';

/** The master keyring as resealing needs it: what values sealed under the current key begin with. */
export interface ResealingKeyring extends Keyring {
  readonly currentPrefix: string;
}

/**
 * Brings every action contract's signing secret under the current master key,
 * as endpoint secrets are at each start: a secret sealed under a key of
 * HOOKLINE_MASTER_KEY_PREVIOUS is opened and sealed again, after which that
 * key can be dropped. One that opens with no key is logged and left as it is.
 */
export class ResealContractSecrets {
  constructor(
    private readonly contracts: Pick<ContractStore, 'needingReseal' | 'swapSecret'>,
    private readonly keyring: ResealingKeyring,
    private readonly logger: Pick<Logger, 'info' | 'error'>,
  ) {}

  async execute(): Promise<number> {
    const unopened = new Set<string>();
    let resealed = 0;
    for (;;) {
      const rows = (await this.contracts.needingReseal(this.keyring.currentPrefix, unopened.size + 100)).filter((r) => !unopened.has(r.id));
      if (rows.length === 0) break;
      for (const row of rows) {
        const context = contractSecretContext(row.tenantId, row.id);
        try {
          if (await this.contracts.swapSecret(row.id, row.secret, this.keyring.seal(this.keyring.open(row.secret, context), context))) resealed += 1;
        } catch (err) {
          unopened.add(row.id);
          this.logger.error(
            { err, contractId: row.id },
            'an action contract secret does not open with HOOKLINE_MASTER_KEY or HOOKLINE_MASTER_KEY_PREVIOUS; left as it is',
          );
        }
      }
    }
    if (resealed > 0) this.logger.info({ contracts: resealed }, 'action contract secrets resealed under the current master key');
    return resealed;
  }
}
