import { MAX_PAGE, pageSizeFor, waitAfterPage } from './pace';

describe('recovery pace', () => {
  it('pages about one second of sending, 1 to MAX_PAGE deliveries', () => {
    expect([1, 7, 100, 500, 501, 100_000].map(pageSizeFor)).toEqual([1, 7, 100, 500, MAX_PAGE, MAX_PAGE]);
    expect(pageSizeFor(0.5)).toBe(1);
  });

  it('waits what is left of the time the page may take at the rate, nothing once it took longer', () => {
    expect(waitAfterPage(100, 100, 0)).toBe(1000);
    expect(waitAfterPage(100, 100, 250)).toBe(750);
    expect(waitAfterPage(100, 100, 1500)).toBe(0);
    expect(waitAfterPage(500, 2000, 100)).toBe(150);
    expect(waitAfterPage(1, 0.5, 0)).toBe(2000);
  });
});
