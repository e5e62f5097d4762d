import { freePort, releasePort, startPostgres, waitFor, type PostgresServer } from '@hookline/infra';
import { Stack, type ServiceName } from '@hookline/stack';
import { Receiver } from '@hookline/testing';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

interface Answer {
  status: number;
  retryAfter: string | null;
  error?: string;
  ids: string[];
}

/**
 * PostgreSQL stopped for a few seconds in the middle of a run: ingest answers
 * 503 with Retry-After (not 500) while it is down and 202 again after, the
 * consumers wait for it instead of parking anything, and every accepted event
 * is delivered and logged. The stack runs on a PostgreSQL of this suite's own,
 * so stopping it leaves the run's shared database alone.
 */
describe('a PostgreSQL outage mid-run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-pg-outage-'));
  const receiver = new Receiver();
  let port: number;
  let postgres: PostgresServer;
  let stack: Stack;

  beforeAll(async () => {
    // PostgreSQL refuses to run as root; the account infra runs it as must be able to enter the folder.
    chmodSync(dataDir, 0o755);
    port = await freePort();
    postgres = await startPostgres({ dataDir, port });
    stack = new Stack({
      brokers: process.env.HOOKLINE_TEST_KAFKA_BROKERS!,
      databaseUrl: postgres.url,
      env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_TOPIC_PARTITIONS: '4' },
    });
    await Promise.all([stack.start(), receiver.start()]);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
    await postgres?.stop();
    releasePort(port);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const parkedTotal = async (service: ServiceName) => {
    const text = await (await fetch(`${stack.url(service)}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('hookline_messages_parked_total'))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  it('answers 503 with Retry-After while the database is down, 202 after, parks nothing and loses nothing', async () => {
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/outage/endpoints', { url: `${receiver.url}/outage`, eventTypes: ['*'] })).status).toBe(201);

    const answers: Answer[] = [];
    let next = 0;
    const send = async () => {
      const ids = Array.from({ length: 5 }, () => `evt_outage_${next++}`);
      const res = await stack.api<{ error?: string }>('ingest', 'POST', '/v1/events/batch', {
        events: ids.map((id) => ({ id, tenantId: 'outage', type: 'power.lost', data: { id } })),
      });
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), error: res.body.error, ids });
    };
    const sendFor = async (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until;) {
        await send();
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await sendFor(3_000);
    await postgres.stop();
    await sendFor(6_000);
    postgres = await startPostgres({ dataDir, port });
    // Until the pools reconnect, ingest may still answer 503; then 202 again.
    await waitFor(
      async () => {
        await send();
        return answers.at(-1)!.status === 202 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'ingest accepting events again' },
    );
    await sendFor(2_000);

    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([202, 503]);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expect(answer).toMatchObject({ retryAfter: '5', error: 'unavailable' });
    }
    expect(answers.at(-1)!.status).toBe(202);

    const accepted = answers.filter((a) => a.status === 202).flatMap((a) => a.ids);
    const sent = new Set(answers.flatMap((a) => a.ids));
    await receiver.waitUntil((reqs) => accepted.every((id) => reqs.some((r) => r.headers['webhook-id'] === id)), {
      timeoutMs: 60_000,
      what: `all ${accepted.length} accepted events`,
    });
    // An event refused with 503 may still have been published (the database went away after Kafka had it); no event was never sent.
    expect(receiver.requests.every((r) => sent.has(r.headers['webhook-id']))).toBe(true);

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      await waitFor(
        async () => {
          const { rows } = await db.query<{ event_id: string }>(`SELECT event_id FROM deliveries WHERE tenant_id = 'outage' AND status = 'succeeded'`);
          const logged = new Set(rows.map((r) => r.event_id));
          return accepted.every((id) => logged.has(id)) ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, description: 'every accepted event logged as delivered' },
      );
      const { rows: events } = await db.query<{ id: string }>(`SELECT id FROM events WHERE tenant_id = 'outage'`);
      const logged = new Set(events.map((e) => e.id));
      expect(accepted.filter((id) => !logged.has(id))).toEqual([]);
    } finally {
      await db.end();
    }
    for (const service of ['ingest', 'rules-engine', 'dispatcher', 'retry-scheduler', 'log-store'] as const) expect(await parkedTotal(service)).toBe(0);
    process.stdout.write(
      `postgres outage: ${answers.length} batches, ${answers.filter((a) => a.status === 503).length} answered 503, ${accepted.length} events accepted and delivered\n`,
    );
  }, 150_000);
});
