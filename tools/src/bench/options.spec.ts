import { UsageError } from '../flags';
import { parseOptions } from './options';

describe('bench options', () => {
  it('runs the standard set by default: three scenarios as fast as accepted, then 800 and 200 events/s for 30 s', () => {
    const o = parseOptions([])!;
    expect(o.scenarios).toEqual([
      { name: 'single-c32', mode: 'single', events: 20_000, rate: 0, batch: 1, concurrency: 32 },
      { name: 'batch', mode: 'batch', events: 20_000, rate: 0, batch: 500, concurrency: 4 },
      { name: 'kafka', mode: 'kafka', events: 20_000, rate: 0, batch: 500, concurrency: 4 },
      { name: 'single-800/s', mode: 'single', events: 24_000, rate: 800, batch: 1, concurrency: 32 },
      { name: 'single-200/s', mode: 'single', events: 6_000, rate: 200, batch: 1, concurrency: 32 },
    ]);
    expect(o).toMatchObject({ events: 20_000, endpoints: 4, warmup: 2000, stallS: 60, maxS: 900, keep: false, profile: false, json: undefined });
  });

  it('scales the standard set with --events and --duration', () => {
    const o = parseOptions(['--events', '3000', '--duration', '5'])!;
    expect(o.scenarios.map((s) => [s.name, s.events])).toEqual([
      ['single-c32', 3000],
      ['batch', 3000],
      ['kafka', 3000],
      ['single-800/s', 4000],
      ['single-200/s', 1000],
    ]);
    expect(o.warmup).toBe(300);
  });

  it('runs one scenario for --mode, with its concurrency', () => {
    expect(parseOptions(['--mode', 'single', '--concurrency', '8'])!.scenarios).toEqual([
      { name: 'single-c8', mode: 'single', events: 20_000, rate: 0, batch: 1, concurrency: 8 },
    ]);
    expect(parseOptions(['--mode', 'batch', '--batch', '100', '--parallel', '2'])!.scenarios).toEqual([
      { name: 'batch', mode: 'batch', events: 20_000, rate: 0, batch: 100, concurrency: 2 },
    ]);
    expect(parseOptions(['--mode', 'kafka', '--concurrency', '16'])!.scenarios).toEqual([
      { name: 'kafka', mode: 'kafka', events: 20_000, rate: 0, batch: 500, concurrency: 16 },
    ]);
  });

  it('makes --rate an open-loop run of any mode, single by default, and --duration a soak of rate × duration events', () => {
    expect(parseOptions(['--rate', '200', '--duration', '600'])!).toMatchObject({
      scenarios: [{ name: 'single-200/s', mode: 'single', events: 120_000, rate: 200, batch: 1 }],
      maxS: 1200,
    });
    expect(parseOptions(['--mode', 'batch', '--rate', '1000', '--events', '3000'])!.scenarios).toEqual([
      { name: 'batch-1000/s', mode: 'batch', events: 3000, rate: 1000, batch: 50, concurrency: 4 },
    ]);
    expect(parseOptions(['--mode', 'kafka', '--rate', '800', '--duration', '10'])!.scenarios[0]).toMatchObject({ mode: 'kafka', events: 8000, batch: 40 });
  });

  it('keeps the other options, and --help asks for the usage', () => {
    expect(parseOptions(['--batch', '7', '--warmup', '0', '--keep', '--json', 'out.json', '--profile'])).toMatchObject({
      warmup: 0,
      keep: true,
      json: 'out.json',
      profile: true,
      schemaMode: undefined,
    });
    expect(parseOptions(['--schema-mode', 'enforce'])).toMatchObject({ schemaMode: 'enforce' });
    expect(parseOptions(['--help'])).toBeNull();
  });

  it.each([
    [['--events', '1e4'], /^--events must be an integer from 1 to 10000000$/],
    [['--events', '0x10'], /^--events must be an integer/],
    [['--events', ''], /^--events must be an integer/],
    [['--batch', '501'], /^--batch must be an integer from 1 to 500$/],
    [['--stall-s', '1'], /^--stall-s must be an integer from 5 to 3600$/],
    [['--mode', 'grpc'], /^--mode must be one of single, batch, kafka \(got 'grpc'\)$/],
    [['--rate', '0'], /^--rate must be an integer from 1 to 1000000$/],
    [['--concurrency', '0'], /^--concurrency must be an integer from 1 to 1024$/],
    [['--mode', 'single', '--duration', '60'], /^--duration needs --rate/],
    [['--rate', '200', '--concurrency', '8'], /^--concurrency applies to as-fast-as-possible runs/],
    [['--mode', 'batch', '--concurrency', '8'], /^--concurrency does not apply to --mode batch; --parallel/],
    [['--schema-mode', 'strict'], /^--schema-mode must be one of off, warn, enforce \(got 'strict'\)$/],
    [['--events'], /argument missing/],
    [['--verbose'], /Unknown option '--verbose'/],
  ])('refuses %j, naming the option and the rule', (args, message) => {
    expect(() => parseOptions(args)).toThrow(UsageError);
    expect(() => parseOptions(args)).toThrow(message);
  });
});
