import { rowsOf } from './sql-runner';

describe(rowsOf.name, () => {
  it('reads a TypeORM result (the rows array) and a pg result (an object with rows)', () => {
    expect(rowsOf([{ n: 1 }])).toEqual([{ n: 1 }]);
    expect(rowsOf({ rows: [{ n: 1 }], rowCount: 1 })).toEqual([{ n: 1 }]);
  });

  it('refuses anything else rather than reading it as no rows', () => {
    expect(() => rowsOf(undefined)).toThrow(/neither a rows array/);
  });
});
