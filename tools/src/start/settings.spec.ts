import { UsageError } from '../flags';
import { postgresConnections, startInstances } from './settings';

describe('startInstances', () => {
  it('runs one of each service unless told otherwise', () => {
    expect(Object.values(startInstances([], {}))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('takes a number for every service from --instances or HOOKLINE_INSTANCES, the flag first', () => {
    expect(Object.values(startInstances(['--instances', '2'], {}))).toEqual([2, 2, 2, 2, 2, 2]);
    expect(Object.values(startInstances([], { HOOKLINE_INSTANCES: '3' }))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(Object.values(startInstances(['--instances', '2'], { HOOKLINE_INSTANCES: '3' }))).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('takes counts per service from HOOKLINE_INSTANCES, one for the others', () => {
    expect(startInstances([], { HOOKLINE_INSTANCES: 'dispatcher=2, rules-engine=3' })).toEqual({
      'admin-api': 1,
      ingest: 1,
      'rules-engine': 3,
      dispatcher: 2,
      'retry-scheduler': 1,
      'log-store': 1,
    });
  });

  it.each([
    [['--instances', '0'], {}, '--instances must be an integer from 1 to 9'],
    [['--instances', '1e1'], {}, '--instances must be an integer from 1 to 9'],
    [['--instance', '2'], {}, "Unknown option '--instance'"],
    [[], { HOOKLINE_INSTANCES: '10' }, 'HOOKLINE_INSTANCES must be a number from 1 to 9, or service=number pairs'],
    [[], { HOOKLINE_INSTANCES: 'dispatcher:2' }, '"dispatcher:2" is neither'],
    [[], { HOOKLINE_INSTANCES: 'dispatch=2' }, 'HOOKLINE_INSTANCES names an unknown service "dispatch"'],
    [[], { HOOKLINE_INSTANCES: 'dispatcher=0' }, 'HOOKLINE_INSTANCES: dispatcher must run 1 to 9 instances; got 0'],
  ])('refuses %j %j naming the setting and the rule', (args, env, message) => {
    expect(() => startInstances(args, env)).toThrow(UsageError);
    expect(() => startInstances(args, env)).toThrow(message);
  });
});

describe('postgresConnections', () => {
  it('makes room for every pool the stack opens, plus 20', () => {
    expect(postgresConnections(startInstances([], {}), {})).toBe(4 * 10 + 20);
    expect(postgresConnections(startInstances([], { HOOKLINE_INSTANCES: 'ingest=3,dispatcher=5' }), { DATABASE_POOL_SIZE: '25' })).toBe(
      (1 + 3 + 1 + 1) * 25 + 20,
    );
  });
});
