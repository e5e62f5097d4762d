import fc from 'fast-check';
import { parseSchedule } from './schedule';

describe(parseSchedule.name, () => {
  it('reads units, spaces and plain milliseconds', () => {
    expect(parseSchedule('500ms, 5s,2m,1h,250')).toEqual([500, 5000, 120_000, 3_600_000, 250]);
  });

  it.each([
    ['5s,soon', 'item 2 ("soon")'],
    ['', 'item 1 ("")'],
    ['5s,,30s', 'item 2 ("")'],
    ['-5s', 'item 1 ("-5s")'],
    ['1.5s', 'item 1 ("1.5s")'],
    ['5d', 'item 1 ("5d")'],
  ])('names the bad item of %j', (text, named) => {
    expect(() => parseSchedule(text)).toThrow(named);
  });

  it('reads back any schedule written with units', () => {
    const unit = fc.constantFrom(['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 100_000 }), unit), { minLength: 1, maxLength: 20 }), (items) => {
        const text = items.map(([n, [u]]) => `${n}${u}`).join(',');
        expect(parseSchedule(text)).toEqual(items.map(([n, [, f]]) => n * (f as number)));
      }),
    );
  });
});
