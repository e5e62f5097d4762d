import type { RuleConfig, TenantId } from '@hookline/contracts';
import { anEvent } from '@hookline/testing';
import { RuleIndex } from './rule-index';

const rule = (overrides: Partial<RuleConfig>): RuleConfig => ({
  id: '0b6f3c2e-1d4a-4c5b-8e9f-7a6b5c4d3e21',
  tenantId: 'acme' as TenantId,
  name: 'r',
  enabled: true,
  trigger: { eventTypes: ['ticket.*'] },
  conditions: null,
  actions: [{ key: 'a', type: 'deliver', endpointIds: ['5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as never], transform: null }],
  version: 1,
  updatedAt: '2026-11-22T10:00:00Z',
  ...overrides,
});

describe('RuleIndex', () => {
  const ticket = anEvent({ tenantId: 'acme', type: 'ticket.created', data: { priority: 'high' } });

  it('follows a rule through its versions: changed condition, disabled, deleted', () => {
    const idx = new RuleIndex({ error: () => undefined });
    idx.apply(rule({}).id, rule({ conditions: { path: 'data.priority', op: 'equals', value: 'low' } }));
    expect(idx.rulesFor(ticket)).toEqual([]);
    idx.apply(rule({}).id, rule({ version: 2, conditions: { path: 'data.priority', op: 'equals', value: 'high' } }));
    expect(idx.rulesFor(ticket).map((r) => r.config.version)).toEqual([2]);
    idx.apply(rule({}).id, rule({ version: 3, enabled: false }));
    expect(idx.rulesFor(ticket)).toEqual([]);
    idx.apply(rule({}).id, rule({ version: 4 }));
    expect(idx.rulesFor(ticket)).toHaveLength(1);
    idx.apply(rule({}).id, null);
    expect(idx.rulesFor(ticket)).toEqual([]);
  });

  it('runs no rule whose condition or transformation does not compile, and logs it', () => {
    const errors: unknown[] = [];
    const idx = new RuleIndex({ error: (fields: unknown) => errors.push(fields) } as never);
    idx.apply('r1', rule({ id: 'r1' as never, conditions: { path: 'data.x', op: 'like' } }));
    idx.apply('r2', rule({ id: 'r2' as never, actions: [{ key: 'a', type: 'deliver', endpointIds: [], transform: '$match(x, /a+/)' }] }));
    expect(idx.rulesFor(ticket)).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ ruleId: 'r1', reason: expect.stringContaining('conditions.op') }),
      expect.objectContaining({ ruleId: 'r2', reason: expect.stringContaining('regular expressions') }),
    ]);
  });
});
