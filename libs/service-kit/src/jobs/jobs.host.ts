import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Readiness } from '../health/readiness';
import { CONFIG, LOGGER } from '../tokens';
import { Declarations, fromConfig } from '../discovery';
import { PeriodicJobRunner, type JobResult } from './periodic-job-runner';
import { PERIODIC_JOB, type PeriodicJobDeclaration } from './periodic-job.decorator';

/** Runs every `@PeriodicJob` of the service from bootstrap until shutdown. */
@Injectable()
export class JobsHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobs: PeriodicJobRunner[] = [];

  constructor(
    private readonly declarations: Declarations,
    private readonly readiness: Readiness,
    @Inject(CONFIG) private readonly config: unknown,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    for (const { meta, call } of this.declarations.find<PeriodicJobDeclaration>(PERIODIC_JOB)) {
      const job = new PeriodicJobRunner({
        name: meta.name,
        intervalMs: fromConfig(meta.everyMs, this.config),
        run: call as () => Promise<JobResult>,
        logger: this.logger,
      });
      const within = meta.readyWithinMs;
      if (within !== undefined) {
        this.readiness.add(`job ${meta.name}`, async () => {
          const age = Date.now() - job.lastSuccessOrStart;
          if (age > within) throw new Error(`${meta.name} has not succeeded for ${Math.round(age / 1000)} s`);
        });
      }
      this.jobs.push(job);
      job.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.jobs.map((job) => job.stop()));
  }
}
