import { type Infra, type KafkaServer, type PostgresServer, startKafka, startPostgres } from '@hookline/infra';
import { RestartPolicy, type RestartPolicyOptions } from '@hookline/stack';

export type InfraEvent =
  | { type: 'exited'; server: 'Kafka' | 'PostgreSQL'; code: number; restartInMs: number; logFile: string }
  | { type: 'restarted'; server: 'Kafka' | 'PostgreSQL'; address: string; pid: number }
  | { type: 'restart-failed'; server: 'Kafka' | 'PostgreSQL'; error: Error }
  | { type: 'gave-up'; server: 'Kafka' | 'PostgreSQL'; code: number; crashes: number; windowMs: number; logFile: string };

type Server = { kind: 'Kafka'; current: KafkaServer } | { kind: 'PostgreSQL'; current: PostgresServer };

/**
 * Keeps the Kafka broker and PostgreSQL server `npm start` started running: one
 * that exits on its own is started again on the same data folder and the same
 * ports (so the services, which keep their addresses, reconnect), with the
 * services' backoff and give-up rule. Servers named by KAFKA_BROKERS /
 * DATABASE_URL are not ours to restart.
 */
export class InfraSupervisor {
  private readonly servers: Server[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly starting = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    infra: Infra,
    private readonly options: {
      postgresSettings?: Record<string, string | number | boolean>;
      log: (msg: string) => void;
      onEvent: (event: InfraEvent) => void;
    } & RestartPolicyOptions,
  ) {
    if (infra.kafka) this.servers.push({ kind: 'Kafka', current: infra.kafka });
    if (infra.postgres) this.servers.push({ kind: 'PostgreSQL', current: infra.postgres });
    for (const server of this.servers) this.watch(server, new RestartPolicy(options));
  }

  private watch(server: Server, policy: RestartPolicy): void {
    const watched = server.current;
    void watched.exited.then(async (code) => {
      if (this.stopped || server.current !== watched) return;
      // Frees its ports and data folder for the next start (it has exited: nothing to wait for).
      await watched.stop().catch(() => undefined);
      this.crashed(server, policy, code);
    });
  }

  private crashed(server: Server, policy: RestartPolicy, code: number): void {
    const decision = policy.onCrash(Date.now());
    const logFile = server.current.logFile;
    if (!decision.restart) {
      this.options.onEvent({ type: 'gave-up', server: server.kind, code, crashes: decision.crashes, windowMs: decision.windowMs, logFile });
      return;
    }
    this.options.onEvent({ type: 'exited', server: server.kind, code, restartInMs: decision.delayMs, logFile });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      const start = this.startAgain(server).then(
        () => {
          if (this.stopped) return void server.current.stop();
          const address = server.kind === 'Kafka' ? server.current.brokers : `127.0.0.1:${server.current.port}`;
          this.options.onEvent({ type: 'restarted', server: server.kind, address, pid: server.current.pid });
          this.watch(server, policy);
        },
        (error: Error) => {
          if (this.stopped) return;
          this.options.onEvent({ type: 'restart-failed', server: server.kind, error });
          this.crashed(server, policy, 1);
        },
      );
      this.starting.add(start);
      void start.finally(() => this.starting.delete(start));
    }, decision.delayMs);
    this.timers.add(timer);
  }

  private async startAgain(server: Server): Promise<void> {
    const { log } = this.options;
    if (server.kind === 'Kafka') {
      const old = server.current;
      server.current = await startKafka({ dataDir: old.dataDir, port: old.port, controllerPort: old.controllerPort, log });
    } else {
      const old = server.current;
      server.current = await startPostgres({ dataDir: old.dataDir, port: old.port, settings: this.options.postgresSettings, log });
    }
  }

  /** The servers running now (restarted ones included). */
  get running(): string[] {
    return this.servers.map((s) => s.kind);
  }

  /** Stops both servers (whichever process each is now); no restart from here on. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.starting]);
    const results = await Promise.allSettled(this.servers.map((s) => s.current.stop()));
    const problems = results.flatMap((r, i) => (r.status === 'rejected' ? [`stopping ${this.servers[i].kind}: ${(r.reason as Error).message}`] : []));
    if (problems.length) throw new Error(problems.join('; '));
  }
}
