import { Inject, Injectable } from '@nestjs/common';
import { ActionsRequestedTopic } from '@hookline/contracts';
import type { Received } from '@hookline/kafka';
import { ApiError, ConsumeEach, LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { InvocationRepository } from '../action-contract.repository';
import { InvokeAction } from '../invoke-action/invoke-action.usecase';

/** Waits before the second and third attempt of a rule's invocation whose backend failed. */
export const RULE_INVOCATION_BACKOFF_MS = [1_000, 5_000];
export const RULE_INVOCATION_SLEEP = Symbol('RULE_INVOCATION_SLEEP');

/**
 * Rules' `invoke` actions, run as rules-engine asked them: each invocation at
 * most once to success. One already audited as succeeded or refused (a batch
 * redone, a message redelivered) is not run again; a backend failure (5xx, no
 * answer, an output the schema refuses) is tried three times in all, under the
 * same invocation id and `Idempotency-Key`, every attempt counted in the audit.
 */
@Injectable()
export class ActionRequestsConsumer {
  constructor(
    private readonly invoke: InvokeAction,
    private readonly audit: InvocationRepository,
    @Inject(RULE_INVOCATION_SLEEP) private readonly sleep: (ms: number) => Promise<void>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @ConsumeEach({ group: 'admin-api-actions', topics: [ActionsRequestedTopic], maxInFlightPerPartition: 4 })
  async handle(message: Received<typeof ActionsRequestedTopic>): Promise<void> {
    const r = message.value;
    const done = await this.audit.find(r.tenantId, r.invocationId);
    if (done && done.status !== 'failed') return;
    const invoker = { kind: 'rule' as const, ruleId: r.rule.id, actionKey: r.rule.actionKey, invocationId: r.invocationId, eventId: r.eventId };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.invoke.execute(r.tenantId, r.contractId, r.input, invoker);
        return;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const fields = { invocationId: r.invocationId, contractId: r.contractId, ruleId: r.rule.id, error: error.code };
        // Refused (bad input, a key that does not open) or gone: audited where it could be; trying again changes nothing.
        if (error.status < 500 || error.code === 'key_unavailable' || attempt >= RULE_INVOCATION_BACKOFF_MS.length) {
          this.logger.warn(fields, 'a rule’s action-contract invocation did not succeed');
          return;
        }
        await this.sleep(RULE_INVOCATION_BACKOFF_MS[attempt]);
      }
    }
  }
}
