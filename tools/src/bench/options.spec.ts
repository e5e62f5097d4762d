import { UsageError } from '../flags';
import { parseOptions } from './options';

describe('bench options', () => {
  it('has defaults, and derives the batch and the warm-up from the rate and the events', () => {
    expect(parseOptions([])).toEqual({
      events: 20_000,
      endpoints: 4,
      rate: 0,
      batch: 500,
      parallel: 4,
      warmup: 2000,
      stallS: 60,
      maxS: 900,
      keep: false,
      profile: false,
      json: undefined,
    });
    expect(parseOptions(['--events', '3000', '--rate', '1000'])).toMatchObject({ events: 3000, rate: 1000, batch: 50, warmup: 300 });
    expect(parseOptions(['--batch', '7', '--warmup', '0'])).toMatchObject({ batch: 7, warmup: 0 });
    expect(parseOptions(['--help'])).toBeNull();
  });

  it.each([
    [['--events', '1e4'], /^--events must be an integer from 1 to 10000000$/],
    [['--events', '0x10'], /^--events must be an integer/],
    [['--events', ''], /^--events must be an integer/],
    [['--batch', '501'], /^--batch must be an integer from 1 to 500$/],
    [['--stall-s', '1'], /^--stall-s must be an integer from 5 to 3600$/],
    [['--events'], /argument missing/],
    [['--verbose'], /Unknown option '--verbose'/],
  ])('refuses %j, naming the option and the rule', (args, message) => {
    expect(() => parseOptions(args)).toThrow(UsageError);
    expect(() => parseOptions(args)).toThrow(message);
  });
});
