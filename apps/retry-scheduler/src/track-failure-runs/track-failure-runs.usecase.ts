import { EndpointsDisableRequestedTopic, isOperationalEventType, modeOf, type EndpointId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { EndpointStateFacts } from '../endpoints/endpoint.directory';
import type { Clock, DeliveryEnding } from '../schedule-retry/schedule-retry.usecase';
import { advanceRuns, type FailureRun } from './failure-run';

/** The runs (PostgreSQL), changed under their row locks in one transaction that commits only once `work` resolved. */
export interface FailureRuns {
  update(endpointIds: EndpointId[], work: (current: Map<string, FailureRun>) => Promise<FailureRun[]>): Promise<void>;
  /** Of `endpointIds`, those whose run is under way (a failed delivery in it, or a disable asked for): read without locking. */
  underWay(endpointIds: EndpointId[]): Promise<EndpointId[]>;
}

/** Each endpoint's latest known state (the compacted endpoints topic). */
export interface EndpointStates {
  get(id: EndpointId): EndpointStateFacts | undefined;
}

/** Where disable requests go (admin-api applies them); resolves once the broker has them. */
export interface DisableRequests {
  send(topic: typeof EndpointsDisableRequestedTopic, messages: OutgoingMessage<typeof EndpointsDisableRequestedTopic>[]): Promise<void>;
}

const requested = new Counter({
  name: 'hookline_endpoint_disables_requested_total',
  help: 'Automatic disables asked of admin-api, by cause (gone, failure_threshold)',
  labelNames: ['cause'],
});

/**
 * Keeps each endpoint's run of failed deliveries and asks admin-api to
 * disable an endpoint that answered `410 Gone` or whose run reached its
 * threshold. Test sends and deliveries of operational events never count:
 * a `410` to a test only ends that test, and an alert failing to reach its
 * endpoint never disables anything (no loops).
 */
export class TrackFailureRuns {
  constructor(
    private readonly runs: FailureRuns,
    private readonly endpoints: EndpointStates,
    private readonly requests: DisableRequests,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(endings: DeliveryEnding[]): Promise<void> {
    const counted = endings.filter((e) => modeOf(e.request) === 'live' && !isOperationalEventType(e.request.event.type));
    if (counted.length === 0) return;
    let ids = [...new Set(counted.map((e) => e.request.endpointId))];
    // Successes only (most batches): they change nothing but a run under way, so one read, no transaction, for the usual case of none.
    if (counted.every((e) => e.result === 'succeeded')) {
      ids = await this.runs.underWay(ids);
      if (ids.length === 0) return;
    }
    await this.runs.update(ids, async (current) => {
      const { changed, disables } = advanceRuns(current, counted, (id) => this.endpoints.get(id), this.clock.now());
      await this.requests.send(
        EndpointsDisableRequestedTopic,
        disables.map((value) => ({ value })),
      );
      for (const d of disables) {
        requested.inc({ cause: d.cause });
        this.logger.info({ tenantId: d.tenantId, endpointId: d.endpointId, cause: d.cause, reason: d.reason }, 'asking for the endpoint to be disabled');
      }
      return changed;
    });
  }
}
