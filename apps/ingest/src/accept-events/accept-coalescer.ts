import { Counter, Histogram } from 'prom-client';
import type { AcceptCommand, AcceptResult, AcceptSource } from './accept-events.usecase';

/** What a group runs: one dedup claim and one publication for all its commands, answered in order. */
export interface AcceptInOneGo {
  execute(commands: AcceptCommand[], source: AcceptSource): Promise<AcceptResult[]>;
}

export interface CoalescingBounds {
  /** How long the first command of a group waits for others to join it; 0 runs each call alone. */
  lingerMs: number;
  /** Events per group at most; a call never splits, so a larger call forms a group alone. */
  maxEvents: number;
  /** Groups claiming and publishing at once; a due group waits (and keeps gathering) for one to finish. */
  maxInFlight: number;
}

interface Caller {
  commands: AcceptCommand[];
  resolve: (results: AcceptResult[]) => void;
  reject: (error: unknown) => void;
}

interface Group {
  source: AcceptSource;
  callers: Caller[];
  events: number;
  due: boolean;
  timer: NodeJS.Timeout | null;
}

const groups = new Counter({
  name: 'hookline_ingest_groups_total',
  help: 'Groups of accepts run as one dedup claim and one publication',
  labelNames: ['source'],
});
const groupSize = new Histogram({
  name: 'hookline_ingest_group_events',
  help: 'Events per group of accepts',
  labelNames: ['source'],
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
});

/**
 * Gathers concurrent accepts (HTTP requests; an ingestion-topic batch is a
 * group already and goes straight to `AcceptEvents`) into groups run as one call: one PostgreSQL round trip claims every id and one send
 * publishes every new event, instead of a transaction and a send per request.
 * A group leaves after `lingerMs`, or at once when full, but waits while
 * `maxInFlight` groups are running, gathering more meanwhile. Each caller
 * gets its own results; if the group's claim or publication fails, every
 * caller of the group gets the error (the claim is rolled back, nothing
 * answers 202). An id repeated by two callers of one group is published for
 * the first and answered as a duplicate to the second, as within one call.
 */
export class AcceptCoalescer {
  private readonly waiting: Group[] = [];
  private inFlight = 0;

  constructor(
    private readonly accept: AcceptInOneGo,
    private readonly bounds: CoalescingBounds,
  ) {}

  execute(commands: AcceptCommand[], source: AcceptSource): Promise<AcceptResult[]> {
    if (commands.length === 0) return Promise.resolve([]);
    if (this.bounds.lingerMs === 0) return this.accept.execute(commands, source);
    return new Promise<AcceptResult[]>((resolve, reject) => {
      const group = this.groupFor(source, commands.length);
      group.callers.push({ commands, resolve, reject });
      group.events += commands.length;
      if (group.events >= this.bounds.maxEvents) this.markDue(group);
      this.pump();
    });
  }

  /** The newest waiting group if it is of that source and the call fits in it, else a new one. */
  private groupFor(source: AcceptSource, events: number): Group {
    const last = this.waiting.at(-1);
    if (last && last.source === source) {
      if (last.events + events <= this.bounds.maxEvents) return last;
      this.markDue(last); // full for this call: nothing more will join it
    }
    const group: Group = { source, callers: [], events: 0, due: false, timer: null };
    group.timer = setTimeout(() => {
      group.timer = null;
      group.due = true;
      this.pump();
    }, this.bounds.lingerMs);
    this.waiting.push(group);
    return group;
  }

  private markDue(group: Group): void {
    group.due = true;
    if (group.timer) clearTimeout(group.timer);
    group.timer = null;
  }

  /** Starts due groups, oldest first, while fewer than `maxInFlight` run. */
  private pump(): void {
    while (this.inFlight < this.bounds.maxInFlight && this.waiting[0]?.due) {
      const group = this.waiting.shift()!;
      this.inFlight += 1;
      void this.run(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(group: Group): Promise<void> {
    groups.inc({ source: group.source });
    groupSize.observe({ source: group.source }, group.events);
    try {
      const results = await this.accept.execute(
        group.callers.flatMap((c) => c.commands),
        group.source,
      );
      let offset = 0;
      for (const caller of group.callers) {
        caller.resolve(results.slice(offset, offset + caller.commands.length));
        offset += caller.commands.length;
      }
    } catch (error) {
      for (const caller of group.callers) caller.reject(error);
    }
  }
}
