import { phaseOf } from './counters';

describe('phaseOf', () => {
  it('reads the phase from a webhook-id <runId>-<phase>-<seq>', () => {
    expect(phaseOf('b1a2b3', 'b1a2b3-s1-42')).toBe('s1');
    expect(phaseOf('b1a2b3', 'b1a2b3-w-0')).toBe('w');
    expect(phaseOf('b1a2b3', 'b1a2b3-r2-19999')).toBe('r2');
  });

  it('ignores ids of another run and ids without a phase', () => {
    expect(phaseOf('b1a2b3', 'bffffff-s1-42')).toBeNull();
    expect(phaseOf('b1a2b3', 'b1a2b3-')).toBeNull();
    expect(phaseOf('b1a2b3', 'b1a2b3--1')).toBeNull();
    expect(phaseOf('b1a2b3', 'b1a2b3-s1')).toBeNull();
    expect(phaseOf('b1a2b3', 'evt_123')).toBeNull();
  });
});
