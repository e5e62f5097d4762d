import { createKafka } from '@hookline/kafka';
import { Client, type QueryResult, type QueryResultRow } from 'pg';

/* What the bench asks Kafka and PostgreSQL directly (not through the services). */

export async function pgQuery<R extends QueryResultRow>(url: string, sql: string, params?: unknown[]): Promise<QueryResult<R>> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query<R>(sql, params);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropDatabase(serverUrl: string, database: string, log: (msg: string) => void): Promise<void> {
  await pgQuery(serverUrl, `drop database if exists "${database}" with (force)`).catch((e: Error) => log(`dropping database ${database}: ${e.message}`));
}

function admin(brokers: string) {
  return createKafka({ clientId: 'hookline-bench', brokers: brokers.split(',') }).admin();
}

/** For every topic of the run: end offsets, and each consumer group's committed offsets and lag. */
export async function kafkaLag(brokers: string, prefix: string): Promise<string> {
  const client = admin(brokers);
  await client.connect();
  try {
    const lines = [];
    const topics = (await client.listTopics()).filter((t) => t.startsWith(prefix)).sort();
    const groups = (await client.listGroups()).filter((g) => g.startsWith(prefix) && !g.includes('.view.'));
    const committed = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const groupId of groups) {
      for (const t of await client.fetchOffsets({ groupId })) committed.set(`${groupId} ${t.topic}`, t.partitions);
    }
    for (const topic of topics) {
      const ends = await client.fetchTopicOffsets(topic);
      const total = ends.reduce((n, p) => n + Number(p.high), 0);
      if (total === 0) continue;
      lines.push(
        `  ${topic.slice(prefix.length)}: ${total} messages (${ends
          .filter((p) => Number(p.high) > 0)
          .map((p) => `p${p.partition}=${p.high}`)
          .join(' ')})`,
      );
      for (const groupId of groups) {
        const parts = committed.get(`${groupId} ${topic}`);
        if (!parts) continue;
        const lag = ends.reduce(
          (n, p) => n + Math.max(0, Number(p.high) - Math.max(0, Number(parts.find((c) => c.partition === p.partition)?.offset ?? 0))),
          0,
        );
        lines.push(`    ${groupId.slice(prefix.length)}: lag ${lag}`);
      }
    }
    return lines.join('\n');
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}

export async function deleteTopics(brokers: string, prefix: string, log: (msg: string) => void): Promise<void> {
  const client = admin(brokers);
  try {
    await client.connect();
    const topics = (await client.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length) await client.deleteTopics({ topics });
  } catch (e) {
    log(`deleting topics ${prefix}*: ${(e as Error).message}`);
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}
