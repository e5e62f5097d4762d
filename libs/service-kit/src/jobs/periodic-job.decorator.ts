import type { FromConfig } from '../discovery';
import type { JobResult } from './periodic-job-runner';

export const PERIODIC_JOB = Symbol('hookline:periodic-job');

export interface PeriodicJobDeclaration {
  /** Names the job in logs, /metrics and /health/ready. */
  name: string;
  /** The pause between the end of one run and the start of the next. */
  everyMs: FromConfig<number>;
  /** When given, /health/ready fails once the job has not succeeded for this long. */
  readyWithinMs?: number;
}

/**
 * Declares the method as a periodic job (`PeriodicJob`): service-kit runs it
 * after bootstrap and then `everyMs` after each run ends, never overlapping,
 * counts failures in /metrics and stops it before shutdown. The method returns
 * `{ more: true }` to run again at once (a batch that was full).
 */
export function PeriodicJob(declaration: PeriodicJobDeclaration) {
  return <R extends JobResult>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<() => Promise<R>>): void => {
    Reflect.defineMetadata(PERIODIC_JOB, declaration, descriptor.value as object);
  };
}
