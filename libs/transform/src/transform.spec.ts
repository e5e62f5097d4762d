import { CompiledTransform, TRANSFORM_LIMITS, transformProblem } from './transform';

const event = {
  id: 'tkt_1',
  type: 'ticket.created',
  data: { subject: 'SSO fails', priority: 'high', customer: { name: 'Meridian', tier: 'gold' }, tags: ['sso', 'outage'] },
};

describe('CompiledTransform', () => {
  it('builds a body from the event', async () => {
    const t = new CompiledTransform('{ "title": "[" & $uppercase(data.priority) & "] " & data.subject, "customer": data.customer.name, "tags": data.tags }');
    expect(await t.run(event)).toEqual({ ok: true, value: { title: '[HIGH] SSO fails', customer: 'Meridian', tags: ['sso', 'outage'] } });
  });

  it('answers why when the expression produces nothing, fails, or runs over a bound, and never throws', async () => {
    expect(await new CompiledTransform('data.nothing').run(event)).toEqual({ ok: false, reason: 'produced nothing (no part of the event matched)' });
    // The reason names JSONata's error without the value it could not convert; the detail (for the event's owner) quotes it.
    expect(await new CompiledTransform('$number(data.subject)').run(event)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^failed: JSONata error D\d+( at character \d+)?$/),
      detail: expect.stringContaining('SSO fails'),
    });
    expect(await new CompiledTransform('$count([1..5000000].($ * 2))').run(event)).toEqual({
      ok: false,
      reason: `failed: ran longer than ${TRANSFORM_LIMITS.timeoutMs} ms`,
    });
    expect(await new CompiledTransform('($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(100000))').run(event)).toEqual({
      ok: false,
      reason: `failed: nests deeper than ${TRANSFORM_LIMITS.maxDepth} steps`,
    });
    expect(await new CompiledTransform('$pad("", 300000, "x")').run(event)).toEqual({ ok: false, reason: expect.stringMatching(/more than 262144$/) });
    expect(await new CompiledTransform('function($x){ $x }').run(event)).toEqual({ ok: false, reason: 'did not produce JSON (a function)' });
  });
});

describe('transformProblem', () => {
  it.each([
    ['a syntax error', '{ "a": ', /is not a valid JSONata expression: .*\(at character \d+\)$/],
    ['a regular expression', '$match(data.subject, /(a+)+$/)', /must not use regular expressions/],
    ['a regular expression in $replace', '$replace(data.subject, /S+/, "x")', /must not use regular expressions/],
    ['$eval', '$eval("1 + 1")', /must not call \$eval/],
    ['a long expression', `"${'x'.repeat(5000)}"`, /at most 4096 characters/],
  ])('refuses %s', (_name, expression, rule) => {
    expect(transformProblem(expression)).toMatch(rule);
    expect(() => new CompiledTransform(expression)).toThrow(rule);
  });

  it('accepts text functions', () => {
    expect(transformProblem('$contains(data.subject, "SSO") ? $substringBefore(data.subject, " ") : "other"')).toBeNull();
  });
});
