import fc from 'fast-check';
import { DEPTH_RULE, EXACT_NUMBER_RULE, FINITE_NUMBER_RULE, MAX_JSON_DEPTH, numberRule, parseUntrustedJson, scanJson } from './untrusted-json';

const nested = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe(scanJson.name, () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, naming where it went too deep`, () => {
    expect(scanJson(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(scanJson(nested(MAX_JSON_DEPTH + 1))).toEqual({ field: Array(MAX_JSON_DEPTH).fill('0').join('.'), rule: DEPTH_RULE(MAX_JSON_DEPTH) });
  });

  it('refuses a body nested 100,000 levels deep with the rule, fast and without recursion (regression: ingest answered 500)', () => {
    const started = performance.now();
    expect(scanJson(nested(100_000))?.rule).toBe(DEPTH_RULE(MAX_JSON_DEPTH));
    expect(scanJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000))).toEqual({
      field: Array(MAX_JSON_DEPTH).fill('a').join('.'),
      rule: DEPTH_RULE(MAX_JSON_DEPTH),
    });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('names the field by keys and array indexes, escaped keys decoded', () => {
    const body = '{"events":[{"data":{}},{"data":{"a\\"b":[1,2,{"n":9007199254740993}]}}]}';
    expect(scanJson(body)).toEqual({ field: 'events.1.data.a"b.2.n', rule: `${EXACT_NUMBER_RULE} (got 9007199254740993)` });
    expect(scanJson('[[[1e400]]]')).toEqual({ field: '0.0.0', rule: `${FINITE_NUMBER_RULE} (got 1e400)` });
    expect(scanJson('1e400')).toEqual({ field: '(root)', rule: `${FINITE_NUMBER_RULE} (got 1e400)` });
  });

  it('counts no bracket, quote or number inside a string', () => {
    expect(scanJson(`{"s":"${'['.repeat(1000)}\\"${'{'.repeat(100)} 1e400 \\\\","t":"\\\\\\"]]]"}`)).toBeUndefined();
    expect(scanJson(`{"${'['.repeat(100)}":1}`)).toBeUndefined();
  });

  it('leaves text that is not JSON to JSON.parse', () => {
    expect(scanJson('{"a": -x}')).toBeUndefined();
    expect(parseUntrustedJson('{"a": ')).toEqual({ ok: false, kind: 'syntax', message: expect.any(String) });
  });

  it('passes everything JSON.stringify writes, and parses it to what JSON.parse gives', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (value) => {
        const text = JSON.stringify(value);
        expect(scanJson(text)).toBeUndefined();
        expect(parseUntrustedJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe(numberRule.name, () => {
  it.each([
    '0',
    '-0',
    '0.0',
    '1',
    '-1',
    '0.1',
    '1e2',
    '1E+2',
    '100e-2',
    '0.30000000000000004',
    '9007199254740991',
    '9007199254740992',
    '-9007199254740992',
    '1.7976931348623157e308',
    '5e-324',
    '123.456',
  ])('accepts %s: it comes back as the same value', (source) => expect(numberRule(source)).toBeUndefined());

  it.each(['1e400', '-1e400', '1e309'])('refuses %s as not finite', (source) => expect(numberRule(source)).toBe(FINITE_NUMBER_RULE));

  it.each(['9007199254740993', '-9007199254740993', '12345678901234567890', '0.1000000000000000000001', '3.14159265358979323846', '1e-400'])(
    'refuses %s: parsing would change its value',
    (source) => expect(numberRule(source)).toBe(EXACT_NUMBER_RULE),
  );

  it('accepts every finite double as JavaScript writes it, in every notation JSON allows', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(numberRule(String(d))).toBeUndefined();
        expect(numberRule(d.toExponential())).toBeUndefined();
      }),
      { seed: 8, numRuns: 1000 },
    );
  });

  it('refuses exactly the integers that JSON.stringify would write back as another value', () => {
    /** The integer a JavaScript number's text denotes (`3.002399751580331e+16` is 30023997515803310). */
    const denoted = (text: string): bigint => {
      const [mantissa, exponent = '0'] = text.split('e');
      const [whole, fraction = ''] = mantissa.split('.');
      const power = Number(exponent) - fraction.length;
      const digits = BigInt(whole + fraction);
      return power >= 0 ? digits * 10n ** BigInt(power) : digits / 10n ** BigInt(-power);
    };
    expect(numberRule('30023997515803310')).toBeUndefined(); // the double is …308, but it is written back as …310
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        const exact = denoted(String(Number(n))) === n;
        expect(numberRule(n.toString())).toBe(exact ? undefined : EXACT_NUMBER_RULE);
      }),
      { seed: 8, numRuns: 1000 },
    );
  });
});
