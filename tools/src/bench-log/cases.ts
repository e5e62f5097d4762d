import type { Client } from 'pg';
import { endpointUuidSql } from './fill';

/*
 * The filter combinations an operator sends to GET /v1/deliveries, each asked
 * for its first page and for a page deep in the log (a cursor 15 days back,
 * or halfway through a time range), in the big tenant (40 % of the log) and
 * the small one (2 %).
 */

export interface Case {
  name: string;
  query: Record<string, string>;
}

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** Filter values are looked up in the generated log (the busiest endpoint, an event in the middle of the period). */
export async function casesFor(db: Client, now: Date): Promise<Case[]> {
  const endpoint = async (tenant: string, index: number) =>
    (await db.query<{ id: string }>(`SELECT ${endpointUuidSql(`$1::int`, `$2::int`)} AS id`, [tenant, index])).rows[0].id;
  const tenantIndex = { acme: 0, tyrell: 7 };
  const cases: Case[] = [];
  for (const [tenant, t] of Object.entries(tenantIndex)) {
    const busiest = await endpoint(String(t), 0);
    const quiet = await endpoint(String(t), 45);
    const { rows } = await db.query<{ event_id: string }>(
      `SELECT event_id FROM deliveries WHERE tenant_id = $1 AND created_at < $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [tenant, daysAgo(now, 12)],
    );
    const day = { since: daysAgo(now, 11), until: daysAgo(now, 10) };
    cases.push(
      { name: `${tenant}: tenant only`, query: { tenantId: tenant } },
      { name: `${tenant}: one day, 10 days ago`, query: { tenantId: tenant, ...day } },
      { name: `${tenant}: busiest endpoint`, query: { tenantId: tenant, endpointId: busiest } },
      { name: `${tenant}: quiet endpoint`, query: { tenantId: tenant, endpointId: quiet } },
      { name: `${tenant}: event type (common)`, query: { tenantId: tenant, eventType: 'invoice.paid' } },
      { name: `${tenant}: event type (rare)`, query: { tenantId: tenant, eventType: 'dispute.opened' } },
      { name: `${tenant}: status dead`, query: { tenantId: tenant, status: 'dead' } },
      { name: `${tenant}: status failing`, query: { tenantId: tenant, status: 'failing' } },
      { name: `${tenant}: status succeeded`, query: { tenantId: tenant, status: 'succeeded' } },
      { name: `${tenant}: status pending`, query: { tenantId: tenant, status: 'pending' } },
      { name: `${tenant}: event id`, query: { tenantId: tenant, eventId: rows[0].event_id } },
      { name: `${tenant}: busiest endpoint + dead`, query: { tenantId: tenant, endpointId: busiest, status: 'dead' } },
      { name: `${tenant}: busiest endpoint + day`, query: { tenantId: tenant, endpointId: busiest, ...day } },
      { name: `${tenant}: event type + dead + day`, query: { tenantId: tenant, eventType: 'invoice.paid', status: 'dead', ...day } },
      { name: `${tenant}: busiest endpoint + event type`, query: { tenantId: tenant, endpointId: busiest, eventType: 'ticket.created' } },
      { name: `${tenant}: test mode`, query: { tenantId: tenant, mode: 'test' } },
    );
  }
  cases.push({ name: 'all tenants (global key)', query: {} }, { name: 'all tenants: status dead', query: { status: 'dead' } });
  return cases;
}

/**
 * A cursor deep in a case's result: the newest row 15 days back (or halfway
 * through its time range), found here directly; the cursor format is the
 * API's (base64url of `createdAt|id`).
 */
export async function deepCursor(db: Client, c: Case, now: Date): Promise<string | null> {
  const q = c.query;
  const where: string[] = [`mode = $1`];
  const params: unknown[] = [q.mode ?? 'live'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.tenantId) add('tenant_id = ?', q.tenantId);
  if (q.endpointId) add('endpoint_id = ?', q.endpointId);
  if (q.eventId) add('event_id = ?', q.eventId);
  if (q.eventType) add('event_type = ?', q.eventType);
  if (q.status) add('status = ?', q.status);
  if (q.since) add('created_at >= ?', q.since);
  const deep = q.since && q.until ? new Date((Date.parse(q.since) + Date.parse(q.until)) / 2).toISOString() : (q.until ?? daysAgo(now, 15));
  add('created_at < ?', deep);
  const { rows } = await db.query<{ created_at: Date; id: string }>(
    `SELECT created_at, id FROM deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT 1`,
    params,
  );
  return rows[0] ? Buffer.from(`${rows[0].created_at.toISOString()}|${rows[0].id}`).toString('base64url') : null;
}

/** What auto_explain logged for a statement: its time and the scans it used. */
export interface LoggedPlan {
  ms: number;
  query: string;
  scans: string[];
}

/** The auto_explain entries (log_format json) in a slice of the PostgreSQL log. */
export function plansIn(logText: string): LoggedPlan[] {
  const plans: LoggedPlan[] = [];
  for (const m of logText.matchAll(/duration: ([\d.]+) ms\s+plan:\s*\n([\s\S]*?)(?=\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|$)/g)) {
    try {
      const parsed = JSON.parse(m[2]) as { 'Query Text': string; Plan: PlanNode };
      plans.push({ ms: Number(m[1]), query: parsed['Query Text'], scans: scansOf(parsed.Plan) });
    } catch {
      // Not a plan (an unrelated line that happened to match): skip it.
    }
  }
  return plans;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function scansOf(node: PlanNode): string[] {
  const own = node['Index Name']
    ? [`${node['Node Type']} ${node['Index Name']}`]
    : node['Node Type'].includes('Scan') && node['Relation Name']
      ? [`${node['Node Type']} ${node['Relation Name']}`]
      : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}
