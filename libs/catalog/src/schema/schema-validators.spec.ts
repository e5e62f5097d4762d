import { DRAFT_2020_12, schemaProblem, SchemaValidators } from './schema-validators';

const ticket = {
  $schema: DRAFT_2020_12,
  type: 'object',
  properties: {
    priority: { enum: ['low', 'normal', 'high'] },
    customer: { type: 'object', properties: { tier: { type: 'string' }, 'a/b': { type: 'integer' } }, required: ['tier'] },
    reference: { type: 'string', pattern: '^TKT-[0-9]+$' },
  },
  required: ['priority', 'customer'],
};

describe('SchemaValidators', () => {
  it('names each violation by its JSON pointer in data and the rule broken', () => {
    const validators = new SchemaValidators();
    expect(validators.check('t@1', ticket, { priority: 'high', customer: { tier: 'gold' } })).toEqual({ ok: true, violations: [] });
    expect(validators.check('t@1', ticket, { priority: 'urgent', customer: { 'a/b': 'x' }, reference: 'T-1' })).toEqual({
      ok: true,
      violations: [
        { pointer: '/priority', rule: 'must be one of ["low","normal","high"]' },
        { pointer: '/customer/tier', rule: 'is required' },
        { pointer: '/customer/a~1b', rule: 'must be integer' },
        { pointer: '/reference', rule: 'must match pattern "^TKT-[0-9]+$"' },
      ],
    });
    expect(validators.check('t@1', ticket, {})).toEqual({
      ok: true,
      violations: [
        { pointer: '/priority', rule: 'is required' },
        { pointer: '/customer', rule: 'is required' },
      ],
    });
  });

  it('compiles a schema version once: the same key reuses it, a new key compiles the new schema', () => {
    const validators = new SchemaValidators();
    validators.check('t@1', ticket, {});
    // Same key, other schema: the key names the version, so the first compilation answers.
    expect(validators.check('t@1', { type: 'string' }, { priority: 'low', customer: { tier: 'x' } })).toEqual({ ok: true, violations: [] });
    expect(validators.check('t@2', { type: 'string' }, { priority: 'low' })).toEqual({ ok: true, violations: [{ pointer: '', rule: 'must be string' }] });
    expect(validators.size).toBe(2);
  });

  it('keeps at most maxEntries validators, dropping the least recently used', () => {
    const validators = new SchemaValidators(2);
    validators.check('a', { type: 'object' }, {});
    validators.check('b', { type: 'object' }, {});
    validators.check('a', { type: 'object' }, {});
    validators.check('c', { type: 'object' }, {});
    expect(validators.size).toBe(2);
    // 'a' was kept: its first schema still answers.
    expect(validators.check('a', { type: 'string' }, {})).toEqual({ ok: true, violations: [] });
    // 'b' was dropped: it compiles again from the schema now given.
    expect(validators.check('b', { type: 'string' }, {})).toEqual({ ok: true, violations: [{ pointer: '', rule: 'must be string' }] });
  });

  it('lets two versions declare the same $id', () => {
    const validators = new SchemaValidators();
    const v1 = { $id: 'https://example.com/ticket', type: 'object', required: ['a'] };
    const v2 = { $id: 'https://example.com/ticket', type: 'object', required: ['b'] };
    expect(validators.check('t@1', v1, { b: 1 })).toEqual({ ok: true, violations: [{ pointer: '/a', rule: 'is required' }] });
    expect(validators.check('t@2', v2, { b: 1 })).toEqual({ ok: true, violations: [] });
  });

  it('matches patterns in linear time: a pattern that backtracks exponentially in JavaScript answers at once', () => {
    const validators = new SchemaValidators();
    const schema = { type: 'string', pattern: '^(a+)+$' };
    // With JavaScript's RegExp this takes longer than the test's timeout (2^n steps); RE2 is linear.
    expect(validators.check('redos', schema, 'a'.repeat(50_000) + 'b')).toEqual({
      ok: true,
      violations: [{ pointer: '', rule: 'must match pattern "^(a+)+$"' }],
    });
    expect(validators.check('redos', schema, 'a'.repeat(50_000))).toEqual({ ok: true, violations: [] });
  });

  it('reports a schema it cannot compile as unusable instead of throwing', () => {
    expect(new SchemaValidators().check('bad', { type: 'object', properties: { a: { type: 'nope' } } }, {})).toEqual({
      ok: false,
      unusable: expect.any(String),
    });
  });
});

describe('schemaProblem', () => {
  it.each([
    ['an array', [], /JSON Schema object/],
    ['a string', 'object', /JSON Schema object/],
    ['another draft', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, /2020-12/],
    ['an unknown keyword (strict mode)', { type: 'object', requried: ['a'] }, /requried/],
    ['an unknown type', { type: 'obj' }, /type/],
    ['a remote $ref', { $ref: 'https://example.com/schema.json' }, /resolve|https:\/\/example\.com/],
    ['a backreference in a pattern', { type: 'string', pattern: '(a)\\1' }, /\\1|escape/],
  ])('refuses %s', (_name, schema, message) => {
    expect(schemaProblem(schema)).toMatch(message);
  });

  it('accepts a 2020-12 schema, with or without $schema and $id', () => {
    expect(schemaProblem(ticket)).toBeNull();
    expect(schemaProblem({ $id: 'https://example.com/x', type: 'object', properties: { n: { type: 'integer', minimum: 0 } } })).toBeNull();
  });
});
