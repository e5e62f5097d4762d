import { fromBuilder, issuesByNode, newComparison, OPERATORS, RawJsonError, toBuilder, type ComparisonNode, type GroupNode } from './rule-model';
import { addChild, moveNode, moveWithin, updateNode } from './condition-edits';
import { fieldsFromSchema, valueForOperator } from './schema-fields';
import { RULES } from './rule-fixtures';

describe('rule model', () => {
  it.each(Object.entries(RULES))('gives back the rule it was given: %s', (_name, rule) => {
    expect(fromBuilder(toBuilder(rule))).toEqual(rule);
    // And again from what it gave back: nothing drifts over save after save.
    expect(fromBuilder(toBuilder(fromBuilder(toBuilder(rule))))).toEqual(rule);
  });

  it('keeps the rule as the API answers it, server fields aside', () => {
    const answered = {
      id: '0b7a1c2e-5f4d-4c3b-9a8e-7d6c5b4a3f21',
      tenantId: 'console-rules',
      version: 3,
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T11:00:00.000Z',
      ...RULES.vipTickets,
    } as Parameters<typeof toBuilder>[0];
    expect(fromBuilder(toBuilder(answered))).toEqual(RULES.vipTickets);
  });

  it('sends an action without a key without one, for the API to give it its position', () => {
    const rule = { ...RULES.noConditions, actions: [{ type: 'deliver' as const, endpointIds: RULES.noConditions.actions[0].endpointIds }] };
    expect(fromBuilder(toBuilder(rule)).actions).toEqual([{ type: 'deliver', endpointIds: rule.actions[0].endpointIds, transform: null }]);
  });

  it('covers every operator and every action type in its fixtures', () => {
    const ops = new Set<string>();
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.op === 'string') ops.add(n.op);
      for (const v of Object.values(n)) if (Array.isArray(v)) v.forEach(walk);
      if (n.not) walk(n.not);
    };
    const types = new Set<string>();
    for (const rule of Object.values(RULES)) {
      walk(rule.conditions);
      rule.actions.forEach((a) => types.add(a.type));
    }
    expect([...ops].sort()).toEqual([...OPERATORS].sort());
    expect([...types].sort()).toEqual(['chat', 'deliver', 'invoke']);
  });

  it('shows a raw expression as JSON text and sends it back parsed', () => {
    const state = toBuilder(RULES.rawExpression);
    const raw = state.conditions.children[0];
    expect(raw.kind).toBe('raw');
    const edited = updateNode(state.conditions, raw.id, (n) => ({ ...n, text: '{ "hl:gt": [{ "var": "data.total.amount" }, 5] }' }));
    expect(fromBuilder({ ...state, conditions: edited }).conditions).toEqual({ jsonLogic: { 'hl:gt': [{ var: 'data.total.amount' }, 5] } });
    const broken = updateNode(state.conditions, raw.id, (n) => ({ ...n, text: '{ "hl:gt": ' }));
    expect(() => fromBuilder({ ...state, conditions: broken })).toThrow(RawJsonError);
  });

  it('builds { all: [...] } for a condition added to a rule that had none', () => {
    const state = toBuilder({ ...RULES.noConditions });
    const conditions = addChild(state.conditions, state.conditions.id, { ...newComparison('data.total.amount'), op: 'gt', value: 1000 });
    expect(fromBuilder({ ...state, conditions }).conditions).toEqual({ all: [{ path: 'data.total.amount', op: 'gt', value: 1000 }] });
  });

  it('moves nodes within a group and between groups, never into themselves', () => {
    const state = toBuilder(RULES.nested);
    const root = state.conditions;
    const [first, second, group] = root.children as [ComparisonNode, GroupNode, GroupNode];
    expect(fromBuilder({ ...state, conditions: moveWithin(root, first.id, 1) }).conditions).toEqual({
      all: [RULES.nested.conditions!.all![1], RULES.nested.conditions!.all![0], RULES.nested.conditions!.all![2]],
    });
    // Up from the top changes nothing.
    expect(moveWithin(root, first.id, -1)).toBe(root);
    // Into the nested group, at its start.
    const moved = moveNode(root, first.id, group.id, 0);
    const out = fromBuilder({ ...state, conditions: moved }).conditions as { all: Record<string, unknown>[] };
    expect(out.all).toHaveLength(2);
    expect((out.all[1] as { any: unknown[] }).any[0]).toEqual(RULES.nested.conditions!.all![0]);
    // A group into its own child group: refused.
    expect(moveNode(root, second.id, second.id, 0)).toBe(root);
  });

  it('puts each API issue beside the node or action it names', () => {
    const state = toBuilder(RULES.nested);
    const group = state.conditions.children[2] as GroupNode;
    const inner = group.children[1];
    const byNode = issuesByNode(state, [
      { field: 'conditions.all.2.any.1.value', rule: 'must be a list for in' },
      { field: 'actions.1.endpointIds.0', rule: 'is not a chat endpoint' },
      { field: 'name', rule: 'is required' },
      { field: 'somewhere.else', rule: 'odd' },
    ]);
    expect(byNode[inner.id]).toEqual(['value: must be a list for in']);
    expect(byNode[state.actions[1].id]).toEqual(['endpointIds.0: is not a chat endpoint']);
    expect(byNode.name).toEqual(['is required']);
    expect(byNode['']).toEqual(['odd']);
  });

  it('places issues under a negated single node and a bare root', () => {
    const state = toBuilder(RULES.notSingle);
    const not = state.conditions;
    const byNode = issuesByNode(state, [{ field: 'conditions.not.value', rule: 'must be a string' }]);
    expect(byNode[not.children[0].id]).toEqual(['value: must be a string']);
  });

  it('changes the value to fit an operator', () => {
    expect(valueForOperator('gold', 'in')).toEqual(['gold']);
    expect(valueForOperator(['gold', 'pro'], 'equals')).toBe('gold');
    expect(valueForOperator(3, 'exists')).toBeUndefined();
    expect(valueForOperator(undefined, 'not_in')).toEqual([]);
  });
});

describe('fieldsFromSchema', () => {
  it('lists the data paths with their types, enums and formats', () => {
    const fields = fieldsFromSchema({
      type: 'object',
      $defs: { money: { type: 'object', properties: { amount: { type: 'integer' }, currency: { type: 'string' } } } },
      properties: {
        status: { type: 'string', const: 'paid' },
        total: { $ref: '#/$defs/money' },
        customer: { type: 'object', properties: { tier: { type: 'string', enum: ['free', 'gold'] } } },
        group: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
        paidAt: { type: 'string', format: 'date-time', description: 'When it was paid.' },
        urgent: { type: 'boolean' },
      },
      allOf: [{ properties: { extra: { type: 'number' } } }],
    });
    const byPath = Object.fromEntries(fields.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'data.customer',
        'data.customer.tier',
        'data.extra',
        'data.group',
        'data.paidAt',
        'data.status',
        'data.tags',
        'data.total',
        'data.total.amount',
        'data.total.currency',
        'data.urgent',
      ].sort(),
    );
    expect(byPath['data.total.amount'].type).toBe('integer');
    expect(byPath['data.customer.tier'].enum).toEqual(['free', 'gold']);
    expect(byPath['data.status'].enum).toEqual(['paid']);
    expect(byPath['data.group'].type).toBe('string');
    expect(byPath['data.paidAt']).toMatchObject({ format: 'date-time', description: 'When it was paid.' });
    expect(byPath['data.urgent'].type).toBe('boolean');
  });

  it('gives nothing for a schema without properties', () => {
    expect(fieldsFromSchema({ type: 'object' })).toEqual([]);
    expect(fieldsFromSchema(null)).toEqual([]);
  });
});
