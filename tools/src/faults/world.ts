import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaServer, type PostgresServer, startKafka, startPostgres } from '@hookline/infra';

/**
 * The fault suite's own Kafka and PostgreSQL, in a temporary folder it
 * controls, so a scenario can kill the broker or stop the database and start
 * it again on the same data and the same port (clients keep their address).
 */
export class World {
  private constructor(
    readonly dataDir: string,
    public kafka: KafkaServer,
    public postgres: PostgresServer,
    private readonly log: (msg: string) => void,
    private readonly keep: boolean,
  ) {}

  static async start(log: (msg: string) => void, keep = false): Promise<World> {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookline-faults-'));
    // As root, PostgreSQL runs as an unprivileged account that must be able to enter the folder (mkdtemp makes it 0700).
    chmodSync(dataDir, 0o755);
    const [kafka, postgres] = await Promise.all([
      startKafka({ dataDir: join(dataDir, 'kafka'), numPartitions: 6 }),
      startPostgres({ dataDir: join(dataDir, 'postgres'), settings: { max_connections: 300 } }),
    ]);
    log(`Kafka on ${kafka.brokers}, PostgreSQL on port ${postgres.port}, data in ${dataDir}`);
    return new World(dataDir, kafka, postgres, log, keep);
  }

  get brokers(): string {
    return this.kafka.brokers;
  }

  get databaseUrl(): string {
    return this.postgres.url;
  }

  /** kill -9 of the broker JVM. */
  async killKafka(): Promise<void> {
    process.kill(this.kafka.pid, 'SIGKILL');
    await this.kafka.exited;
    await this.kafka.stop(); // releases the folder and the ports for the restart
  }

  async restartKafka(): Promise<void> {
    const { port, controllerPort, dataDir } = this.kafka;
    this.kafka = await startKafka({ dataDir, port, controllerPort, numPartitions: 6 });
  }

  async stopPostgres(): Promise<void> {
    await this.postgres.stop();
  }

  async restartPostgres(): Promise<void> {
    const { port, dataDir } = this.postgres;
    this.postgres = await startPostgres({ dataDir, port, settings: { max_connections: 300 } });
  }

  /** After a scenario that failed half-way: whatever is down is started again, so the next one starts clean. */
  async ensureUp(): Promise<void> {
    if (await settled(this.kafka.exited)) {
      this.log('Kafka was down after the last scenario: starting it again');
      await this.kafka.stop();
      await this.restartKafka();
    }
    if (await settled(this.postgres.exited)) {
      this.log('PostgreSQL was down after the last scenario: starting it again');
      await this.restartPostgres();
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.kafka.stop(), this.postgres.stop()]);
    if (this.keep) this.log(`kept ${this.dataDir}`);
    else rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
