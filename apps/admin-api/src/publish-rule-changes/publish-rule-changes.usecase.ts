import { RulesChangedTopic, type RuleConfig } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import type { RulePublication, RuleRow } from '../rules/rule.ports';

/** Rule rows as publication needs them: locked one at a time, and those the topic lags behind. */
export interface PublishedRules {
  withLocked<T>(id: string, work: (rule: RuleRow | null, markPublished: (version: number) => Promise<void>) => Promise<T>): Promise<T>;
  /** Ids of rules whose latest version has not reached the topic yet, oldest change first. */
  unpublished(limit: number): Promise<string[]>;
}

/** The compacted rules topic; resolves once the broker has the record. */
export interface RulesTopic {
  send(topic: typeof RulesChangedTopic, messages: OutgoingMessage<typeof RulesChangedTopic>[]): Promise<void>;
}

/**
 * Carries rule changes from PostgreSQL (the source of truth) to the compacted
 * topic rules-engine reads, as endpoint changes are carried: published right
 * after the change is saved, under the row lock so the topic ends on the
 * latest version (a tombstone once deleted); if that fails, the row keeps
 * `published_version < version` and the relay publishes it later.
 */
export class PublishRuleChanges implements RulePublication {
  constructor(
    private readonly rules: PublishedRules,
    private readonly topic: RulesTopic,
    private readonly logger: Logger,
  ) {}

  async execute(id: string): Promise<void> {
    await this.rules.withLocked(id, async (rule, markPublished) => {
      if (!rule || rule.publishedVersion >= rule.version) return;
      await this.topic.send(RulesChangedTopic, [{ key: rule.id, value: rule.deletedAt ? null : toConfig(rule) }]);
      await markPublished(rule.version);
    });
  }

  /** Like execute, but a failure only logs: the change is saved and the relay publishes it later. */
  async executeOrDefer(id: string): Promise<void> {
    await this.execute(id).catch((err) => this.logger.warn({ err, ruleId: id }, 'publishing a rule change failed; the relay will retry'));
  }

  /** Publishes every rule the topic lags behind (the relay); returns how many it looked at. */
  async relayUnpublished(limit: number): Promise<number> {
    const ids = await this.rules.unpublished(limit);
    for (const id of ids) await this.execute(id);
    return ids.length;
  }
}

function toConfig(r: RuleRow): RuleConfig {
  const { id, tenantId, name, enabled, trigger, conditions, actions, version } = r;
  return { id, tenantId, name, enabled, trigger, conditions, actions, version, updatedAt: r.updatedAt.toISOString() };
}
