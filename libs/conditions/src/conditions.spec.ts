import { builtinEventType } from '@hookline/catalog';
import type { Condition } from './condition';
import { CompiledCondition, explain, type ConditionSubject } from './evaluate';
import { parseCondition } from './parse';
import { undeclaredPaths } from './paths';

const ticket: ConditionSubject = {
  id: 'tkt_1',
  type: 'ticket.created',
  tenantId: 'acme',
  occurredAt: '2026-11-29T10:00:00Z',
  data: {
    subject: 'SSO login fails',
    priority: 'high',
    number: 48213,
    customer: { tier: 'Gold', name: 'Meridian Health' },
    tags: ['sso', 'outage'],
    assignee: null,
  },
};

const matches = (condition: Condition, subject = ticket) => new CompiledCondition(condition).matches(subject);

describe('comparisons', () => {
  it.each<[string, Condition, boolean]>([
    ['equals', { path: 'data.priority', op: 'equals', value: 'high' }, true],
    ['equals is case-sensitive', { path: 'data.customer.tier', op: 'equals', value: 'gold' }, false],
    ['equals with ignoreCase', { path: 'data.customer.tier', op: 'equals', value: 'gold', ignoreCase: true }, true],
    ['equals never converts types', { path: 'data.number', op: 'equals', value: '48213' }, false],
    ['equals on an envelope field', { path: 'type', op: 'equals', value: 'ticket.created' }, true],
    ['not_equals', { path: 'data.priority', op: 'not_equals', value: 'low' }, true],
    ['not_equals on a missing path is false', { path: 'data.nope', op: 'not_equals', value: 'low' }, false],
    [
      'equals null holds for null and for a missing path',
      {
        all: [
          { path: 'data.assignee', op: 'equals', value: null },
          { path: 'data.nope', op: 'equals', value: null },
        ],
      },
      true,
    ],
    ['in', { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'], ignoreCase: true }, true],
    ['in, case-sensitive', { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] }, false],
    ['not_in', { path: 'data.priority', op: 'not_in', value: ['low', 'normal'] }, true],
    ['contains in a string', { path: 'data.subject', op: 'contains', value: 'login' }, true],
    ['contains with ignoreCase', { path: 'data.subject', op: 'contains', value: 'sso LOGIN', ignoreCase: true }, true],
    ['contains in a list', { path: 'data.tags', op: 'contains', value: 'outage' }, true],
    ['contains on a number is false', { path: 'data.number', op: 'contains', value: '482' }, false],
    ['starts_with', { path: 'data.subject', op: 'starts_with', value: 'SSO' }, true],
    ['ends_with', { path: 'data.subject', op: 'ends_with', value: 'FAILS', ignoreCase: true }, true],
    ['gt on numbers', { path: 'data.number', op: 'gt', value: 48212 }, true],
    ['gte', { path: 'data.number', op: 'gte', value: 48213 }, true],
    ['lt', { path: 'data.number', op: 'lt', value: 48213 }, false],
    ['lte', { path: 'data.number', op: 'lte', value: 48213 }, true],
    ['gt on text (ISO times)', { path: 'occurredAt', op: 'gt', value: '2026-11-01T00:00:00Z' }, true],
    ['gt across types is false', { path: 'data.number', op: 'gt', value: '1' }, false],
    ['exists', { path: 'data.customer.name', op: 'exists' }, true],
    ['exists is false for null', { path: 'data.assignee', op: 'exists' }, false],
    ['not_exists', { path: 'data.closedAt', op: 'not_exists' }, true],
    ['an index into a list', { path: 'data.tags.1', op: 'equals', value: 'outage' }, true],
    ['matches (RE2)', { path: 'data.subject', op: 'matches', value: '^SSO .* fails$' }, true],
    ['matches with ignoreCase', { path: 'data.subject', op: 'matches', value: '^sso', ignoreCase: true }, true],
  ])('%s', (_name, condition, expected) => {
    expect(parseCondition(condition, 'filter')).toEqual({ ok: true, condition });
    expect(matches(condition)).toBe(expected);
  });
});

describe('groups', () => {
  const high: Condition = { path: 'data.priority', op: 'equals', value: 'high' };
  const low: Condition = { path: 'data.priority', op: 'equals', value: 'low' };
  it.each<[string, Condition, boolean]>([
    ['all holds when every one does', { all: [high, { path: 'data.tags', op: 'contains', value: 'sso' }] }, true],
    ['all fails when one does', { all: [high, low] }, false],
    ['any holds when one does', { any: [low, high] }, true],
    ['not', { not: low }, true],
    ['an empty all always holds', { all: [] }, true],
    ['an empty any never holds', { any: [] }, false],
    ['a raw JSON Logic rule', { jsonLogic: { and: [{ '==': [{ var: 'data.priority' }, 'high'] }, { '>': [{ var: 'data.number' }, 1] }] } }, true],
    ['groups nested in groups', { any: [low, { all: [high, { not: { path: 'data.customer.tier', op: 'equals', value: 'Silver' } }] }] }, true],
  ])('%s', (_name, condition, expected) => {
    expect(parseCondition(condition, 'filter').ok).toBe(true);
    expect(matches(condition)).toBe(expected);
  });

  it('matches the headline rule for matching tickets only: priority high and a gold or platinum customer', () => {
    const rule: Condition = {
      all: [
        { path: 'type', op: 'equals', value: 'ticket.created' },
        { path: 'data.priority', op: 'equals', value: 'high' },
        { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'], ignoreCase: true },
      ],
    };
    const withData = (data: Record<string, unknown>) => ({ ...ticket, data: { ...ticket.data, ...data } });
    expect(matches(rule)).toBe(true);
    expect(matches(rule, withData({ priority: 'normal' }))).toBe(false);
    expect(matches(rule, withData({ customer: { tier: 'free' } }))).toBe(false);
    expect(matches(rule, withData({ customer: 'gold' }))).toBe(false);
    expect(matches(rule, { ...ticket, type: 'ticket.updated' })).toBe(false);
  });
});

describe('explain', () => {
  it('names the comparison that failed and the value it found', () => {
    const rule: Condition = {
      all: [
        { path: 'data.priority', op: 'equals', value: 'high' },
        { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
      ],
    };
    expect(explain(rule, ticket)).toEqual({
      kind: 'all',
      matched: false,
      items: [
        { kind: 'comparison', matched: true, path: 'data.priority', op: 'equals', value: 'high', actual: 'high' },
        { kind: 'comparison', matched: false, path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'], actual: 'Gold' },
      ],
    });
    expect(explain({ not: { path: 'data.missing', op: 'exists' } }, ticket)).toEqual({
      kind: 'not',
      matched: true,
      item: { kind: 'comparison', matched: false, path: 'data.missing', op: 'exists', actual: null },
    });
  });
});

describe('parseCondition', () => {
  it.each<[string, unknown, { field: string; rule: RegExp }]>([
    ['an unknown operator', { path: 'data.a', op: 'like', value: 'x' }, { field: 'filter.op', rule: /must be one of equals/ }],
    ['a path outside the event', { path: 'secrets.key', op: 'exists' }, { field: 'filter.path', rule: /must be type, id, tenantId, occurredAt, or data/ }],
    ['a list for equals', { path: 'data.a', op: 'equals', value: ['x'] }, { field: 'filter.value', rule: /single value/ }],
    ['no list for in', { path: 'data.a', op: 'in', value: 'x' }, { field: 'filter.value', rule: /must be a list for in/ }],
    ['a value for exists', { path: 'data.a', op: 'exists', value: true }, { field: 'filter.value', rule: /left out for exists/ }],
    ['no value for equals', { path: 'data.a', op: 'equals' }, { field: 'filter.value', rule: /required for equals/ }],
    ['a number for starts_with', { path: 'data.a', op: 'starts_with', value: 1 }, { field: 'filter.value', rule: /string for starts_with/ }],
    ['a backreference in matches', { path: 'data.a', op: 'matches', value: '(a)\\1' }, { field: 'filter.value', rule: /RE2 pattern/ }],
    ['a lookahead in matches', { path: 'data.a', op: 'matches', value: 'a(?=b)' }, { field: 'filter.value', rule: /RE2 pattern/ }],
    ['a bad node deep in a tree', { all: [{ any: [{ path: 'data.a', op: 'in', value: 1 }] }] }, { field: 'filter.all.0.any.0.value', rule: /list/ }],
    ['a group with another key', { all: [], path: 'data.a' }, { field: 'filter', rule: /only "all"/ }],
    ['all that is not a list', { all: { path: 'data.a', op: 'exists' } }, { field: 'filter.all', rule: /list of conditions/ }],
    [
      'a raw rule that loops',
      { jsonLogic: { some: [{ var: 'data.tags' }, { '==': [{ var: '' }, 'x'] }] } },
      { field: 'filter.jsonLogic', rule: /uses "some"/ },
    ],
    ['a raw rule that builds values', { jsonLogic: { map: [{ var: 'data.tags' }, { cat: ['x'] }] } }, { field: 'filter.jsonLogic', rule: /uses "map"/ }],
  ])('refuses %s, naming the field', (_name, condition, issue) => {
    const parsed = parseCondition(condition, 'filter');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues).toEqual(expect.arrayContaining([{ field: issue.field, rule: expect.stringMatching(issue.rule) }]));
  });

  it('bounds the size and depth of a condition', () => {
    const many = { any: Array.from({ length: 100 }, (_, i) => ({ path: 'data.n', op: 'equals', value: i })) };
    expect(parseCondition(many, 'filter')).toEqual({ ok: false, issues: [{ field: 'filter', rule: 'must hold at most 100 comparisons and groups' }] });
    let deep: unknown = { path: 'data.a', op: 'exists' };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    expect(parseCondition(deep, 'filter')).toEqual({ ok: false, issues: [{ field: `filter${'.not'.repeat(9)}`, rule: 'must nest groups at most 8 deep' }] });
  });
});

describe('a pathological condition', () => {
  it('runs a pattern that backtracks exponentially in JavaScript in linear time on a long value', () => {
    // With JavaScript's RegExp this takes longer than the test's timeout (2^n steps); RE2 is linear in the input.
    const evil: Condition = { path: 'data.text', op: 'matches', value: '^(a+)+$' };
    const subject = { ...ticket, data: { text: 'a'.repeat(100_000) + 'b' } };
    expect(matches(evil, subject)).toBe(false);
    expect(matches({ any: Array.from({ length: 50 }, () => evil) }, subject)).toBe(false);
  });
});

describe('undeclaredPaths', () => {
  const schema = builtinEventType('ticket.created')!.schema;
  it('accepts paths the event type declares, through lists, and envelope fields', () => {
    const rule: Condition = {
      all: [
        { path: 'data.customer.tier', op: 'in', value: ['gold'] },
        { path: 'data.tags.0', op: 'equals', value: 'sso' },
        { path: 'type', op: 'equals', value: 'ticket.created' },
        { jsonLogic: { '==': [{ var: 'data.priority' }, 'high'] } },
      ],
    };
    expect(undeclaredPaths(rule, schema, 'ticket.created', 'conditions')).toEqual([]);
  });

  it('names each path the schema does not declare', () => {
    const rule: Condition = {
      any: [{ path: 'data.custmer.tier', op: 'exists' }, { not: { path: 'data.customer.level', op: 'exists' } }, { jsonLogic: { var: 'data.prio' } }],
    };
    expect(undeclaredPaths(rule, schema, 'ticket.created', 'conditions')).toEqual([
      { field: 'conditions.any.0.path', rule: 'data.custmer.tier is not in the schema of ticket.created' },
      { field: 'conditions.any.1.not.path', rule: 'data.customer.level is not in the schema of ticket.created' },
      { field: 'conditions.any.2.jsonLogic', rule: 'data.prio is not in the schema of ticket.created' },
    ]);
  });

  it('lets anything through below an object whose schema lists no properties', () => {
    const open = { type: 'object', properties: { meta: { type: 'object' } } };
    expect(undeclaredPaths({ path: 'data.meta.anything.here', op: 'exists' }, open, 't.x', 'f')).toEqual([]);
    expect(undeclaredPaths({ path: 'data.other', op: 'exists' }, open, 't.x', 'f')).toHaveLength(1);
  });
});
