import { join } from 'node:path';
import { type Infra, redactUrl, withDatabase } from '@hookline/infra';
import { SERVICES, type Stack } from '@hookline/stack';
import { bold, cyan, dim, green, rel, yellow } from './terminal';

export interface BannerFacts {
  stack: Stack;
  infra: Infra;
  token: string;
  database: string;
  dataDir: string;
  logDir: string;
  hasDocs: boolean;
  startedIn: string;
}

/** What runs where, the admin token, and a first request to try. */
export function printBanner({ stack, infra, token, database, dataDir, logDir, hasDocs, startedIn }: BannerFacts): void {
  const admin = stack.url('admin-api');
  const ingest = stack.url('ingest');
  const tokenSource = process.env.HOOKLINE_ADMIN_TOKEN ? 'from HOOKLINE_ADMIN_TOKEN' : `kept in ${rel(join(dataDir, 'admin-token'))}`;
  const kafkaLine = infra.kafka ? `${infra.brokers}   data in ${rel(infra.kafka.dataDir)}` : `${infra.brokers} (KAFKA_BROKERS)`;
  const pgUrl = withDatabase(infra.databaseUrl, database);
  const pgLine = infra.postgres ? `${pgUrl}   data in ${rel(infra.postgres.dataDir)}` : `${redactUrl(pgUrl)} (DATABASE_URL)`;
  const infraLogs = [infra.kafka?.logFile, infra.postgres?.logFile].flatMap((file) => (file ? [`, ${rel(file)}`] : [])).join('');
  const privateTargets = (process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true') === 'true';
  const w = Math.max(...SERVICES.map((s) => s.length));
  const lines = [
    '',
    `${green('●')} ${bold('Hookline is running')} ${dim(`(started in ${startedIn})`)}`,
    '',
    `  ${bold('Admin API')}     ${cyan(admin)}${hasDocs ? `   OpenAPI: ${admin}/docs` : ''}`,
    `  ${bold('Ingest API')}    ${cyan(ingest)}   POST /v1/events, POST /v1/events/batch`,
    `  ${bold('Admin token')}   ${token}   ${dim(`(${tokenSource})`)}`,
    `  ${bold('Master key')}    ${process.env.HOOKLINE_MASTER_KEY ? 'from HOOKLINE_MASTER_KEY' : `kept in ${rel(join(dataDir, 'master-key'))}`}   ${dim('(seals endpoint secrets and keys in the database; keep it with the data)')}`,
    '',
    `  ${bold('Health and metrics')} ${dim('(/health/live, /health/ready, /metrics on every service)')}`,
    ...SERVICES.map((s) => `    ${s.padEnd(w)}  ${stack.url(s)}/health/ready   ${stack.url(s)}/metrics`),
    '',
    `  ${bold('Kafka')}         ${kafkaLine}`,
    `  ${bold('PostgreSQL')}    ${pgLine}`,
    `  ${bold('Logs')}          ${rel(logDir)}/<service>.log${infraLogs}`,
    privateTargets
      ? `  ${yellow('!')} HOOKLINE_ALLOW_PRIVATE_TARGETS=true: http:// and loopback/private endpoint URLs are allowed (local development only)`
      : `  Endpoint URLs must be public https:// URLs (HOOKLINE_ALLOW_PRIVATE_TARGETS=false)`,
    '',
    `  ${bold('Try it')} ${dim('(in another terminal)')}`,
    '',
    dim('    # 1. a receiver that prints what it gets'),
    `    node -e "require('http').createServer((q,s)=>{let b='';q.on('data',c=>b+=c).on('end',()=>{console.log(q.headers['webhook-id'],b);s.end('ok')})}).listen(4000,'127.0.0.1')"`,
    '',
    dim('    # 2. an endpoint of tenant "acme" for invoice.* events (the answer has its signing secret)'),
    `    export HOOKLINE_TOKEN=${token}`,
    `    curl -s -X POST ${admin}/v1/tenants/acme/endpoints -H "Authorization: Bearer $HOOKLINE_TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"url":"http://127.0.0.1:4000/webhooks","eventTypes":["invoice.*"]}'`,
    '',
    dim('    # 3. an event, then its delivery in the log'),
    `    curl -s -X POST ${ingest}/v1/events -H "Authorization: Bearer $HOOKLINE_TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"tenantId":"acme","type":"invoice.paid","data":{"invoiceId":"inv_1","amount":4200}}'`,
    `    curl -s "${admin}/v1/deliveries?tenantId=acme" -H "Authorization: Bearer $HOOKLINE_TOKEN"`,
    '',
    `  Press ${bold('Ctrl-C')} to stop everything ${dim('(data in .data is kept; delete .data to start from scratch)')}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
