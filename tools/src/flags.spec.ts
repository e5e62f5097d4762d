import { countOption, integerFlag, parseFlags, UsageError } from './flags';

describe('integerFlag', () => {
  it('takes decimal digits within the bounds', () => {
    expect(integerFlag('0', 'port', 0, 65_535)).toBe(0);
    expect(integerFlag('20000', 'events', 1, 10_000_000)).toBe(20_000);
  });

  it.each(['', ' 5', '5 ', '1e4', '0x10', '-1', '+5', '5.0', '5.5', 'NaN', 'Infinity', '99999999999999999999'])('refuses %j', (value) => {
    expect(() => integerFlag(value, 'events', 0, Number.MAX_SAFE_INTEGER)).toThrow(UsageError);
  });

  it('names the flag, its bounds and the note when out of them', () => {
    expect(() => integerFlag('70000', 'port', 0, 65_535, ' (0 picks a free port)')).toThrow(
      /^--port must be an integer from 0 to 65535 \(0 picks a free port\)$/,
    );
    expect(() => integerFlag('0', 'events', 1, 10)).toThrow(/^--events must be an integer from 1 to 10$/);
  });
});

describe('parseFlags', () => {
  const options = { events: { type: 'string', default: '1' }, keep: { type: 'boolean', default: false } } as const;

  it('reads the flags given, with defaults for the others', () => {
    expect(parseFlags(['--keep'], options)).toEqual({ events: '1', keep: true });
    expect(parseFlags(['--events', '5'], options)).toEqual({ events: '5', keep: false });
  });

  it.each([[['--verbose']], [['extra']], [['--events']]])('refuses %j as a usage error', (args) => {
    expect(() => parseFlags(args, options)).toThrow(UsageError);
  });
});

describe(countOption.name, () => {
  const argv = ['node', 'main.js', '--events', '500', '--hold', 'x', '--zero', '0'];

  it('reads the integer after the flag, or the fallback when the flag is absent', () => {
    expect(countOption('events', 10, 1, argv)).toBe(500);
    expect(countOption('concurrency', 32, 1, argv)).toBe(32);
    expect(countOption('zero', 5, 0, argv)).toBe(0);
  });

  it('refuses what is not an integer in range, naming the flag and the rule', () => {
    expect(() => countOption('hold', 1, 1, argv)).toThrow(new UsageError(`--hold must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`));
    expect(() => countOption('zero', 1, 1, argv)).toThrow(/--zero must be an integer from 1/);
    expect(() => countOption('events', 1, 1, ['--events'])).toThrow(/--events must be an integer/);
  });
});
