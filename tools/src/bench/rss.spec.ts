import { descendants, kilobytesField } from './rss';

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234567 kB
VmRSS:\t  104816 kB
RssAnon:\t   70000 kB
VmSwap:\t       0 kB
`;

const SMAPS_ROLLUP = `55d0c0a00000-7ffd7b3fe000 ---p 00000000 00:00 0                          [rollup]
Rss:              104816 kB
Pss:               61234 kB
Pss_Anon:          50000 kB
`;

describe('kilobytesField', () => {
  it('reads a field of /proc/<pid>/status in bytes', () => {
    expect(kilobytesField(STATUS, 'VmRSS')).toBe(104_816 * 1024);
    expect(kilobytesField(STATUS, 'VmSwap')).toBe(0);
  });

  it('reads Pss of smaps_rollup, not Pss_Anon', () => {
    expect(kilobytesField(SMAPS_ROLLUP, 'Pss')).toBe(61_234 * 1024);
  });

  it('takes the field whole: RssAnon is not VmRSS', () => {
    expect(kilobytesField('RssAnon:\t 5 kB\n', 'VmRSS')).toBeNull();
  });

  it('is null when the field is missing (a kernel thread has no VmRSS)', () => {
    expect(kilobytesField('Name:\tkthreadd\nState:\tS\n', 'VmRSS')).toBeNull();
  });
});

describe('descendants', () => {
  it("finds a process's children and their children, and nobody else's", () => {
    const parents = new Map([
      [10, 1], // postmaster
      [11, 10], // checkpointer
      [12, 10], // a backend
      [13, 12], // a backend's child
      [20, 1], // another process
      [21, 20],
    ]);
    expect(descendants(10, parents).sort()).toEqual([11, 12, 13]);
    expect(descendants(13, parents)).toEqual([]);
  });
});
