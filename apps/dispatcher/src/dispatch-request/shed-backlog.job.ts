import { Injectable } from '@nestjs/common';
import { PeriodicJob, type JobResult } from '@hookline/service-kit';
import { DispatchRequest } from './dispatch-request.usecase';

@Injectable()
export class ShedBacklogJob {
  constructor(private readonly dispatch: DispatchRequest) {}

  /**
   * Requests waiting behind an endpoint that has since turned slow (its
   * attempts now hang) are deferred, even when no new request for that
   * endpoint arrives to notice; a quarter second keeps the window they hold short.
   */
  @PeriodicJob({ name: 'shed-endpoint-backlog', everyMs: 250 })
  async run(): Promise<JobResult> {
    this.dispatch.shedBacklog();
  }
}
