import { join } from 'node:path';
import { type Infra, redactUrl } from '@hookline/infra';
import { PORT_STRIDE, type ServiceName, type Stack } from '@hookline/stack';
import { bold, cyan, dim, green, rel, yellow } from '../terminal';

export interface BannerFacts {
  stack: Stack;
  infra: Infra;
  /** Where the admin token and master key are kept when the environment does not set them. */
  dataDir: string;
  hasDocs: boolean;
  startedIn: string;
}

/** A service instance as npm start names it: `dispatcher`, `dispatcher.1`. */
export function label(service: ServiceName, instance: number): string {
  return instance === 0 ? service : `${service}.${instance}`;
}

/** What runs where, the admin token, and a first request to try. */
export function printBanner({ stack, infra, dataDir, hasDocs, startedIn }: BannerFacts): void {
  const { token, logDir } = stack;
  const admin = stack.url('admin-api');
  const ingest = stack.url('ingest');
  const tokenSource = process.env.HOOKLINE_ADMIN_TOKEN ? 'from HOOKLINE_ADMIN_TOKEN' : `kept in ${rel(join(dataDir, 'admin-token'))}`;
  const kafkaLine = infra.kafka ? `${infra.brokers}   data in ${rel(infra.kafka.dataDir)}` : `${infra.brokers} (KAFKA_BROKERS)`;
  const pgUrl = stack.databaseUrl;
  const pgLine = infra.postgres ? `${pgUrl}   data in ${rel(infra.postgres.dataDir)}` : `${redactUrl(pgUrl)} (DATABASE_URL)`;
  const infraLogs = [infra.kafka?.logFile, infra.postgres?.logFile].flatMap((file) => (file ? [`, ${rel(file)}`] : [])).join('');
  const privateTargets = (process.env.HOOKLINE_ALLOW_PRIVATE_TARGETS ?? 'true') === 'true';
  const processes = stack.all().map(({ service, instance }) => ({ name: label(service, instance), url: stack.url(service, instance) }));
  const w = Math.max(...processes.map((p) => p.name.length));
  const several = processes.length > 6;
  const lines = [
    '',
    `${green('●')} ${bold('Hookline is running')} ${dim(`(started in ${startedIn})`)}`,
    '',
    `  ${bold('Console')}       ${cyan(`${admin}/console`)}   ${dim('(sign in with the admin token below and a tenant name, e.g. acme)')}`,
    `  ${bold('Admin API')}     ${cyan(admin)}${hasDocs ? `   OpenAPI: ${admin}/docs` : ''}`,
    `  ${bold('Ingest API')}    ${cyan(ingest)}   POST /v1/events, POST /v1/events/batch`,
    `  ${bold('Admin token')}   ${token}   ${dim(`(${tokenSource})`)}`,
    `  ${bold('Master key')}    ${process.env.HOOKLINE_MASTER_KEY ? 'from HOOKLINE_MASTER_KEY' : `kept in ${rel(join(dataDir, 'master-key'))}`}   ${dim('(seals endpoint secrets and keys in the database; keep it with the data)')}`,
    '',
    `  ${bold('Health and metrics')} ${dim('(/health/live, /health/ready, /metrics on every service)')}`,
    ...processes.map((p) => `    ${p.name.padEnd(w)}  ${p.url}/health/ready   ${p.url}/metrics`),
    ...(several
      ? [
          dim(
            `    (instance i of a service listens on its port + ${PORT_STRIDE} × i and shares its consumer groups; in production a load balancer goes in front of ingest and admin-api)`,
          ),
        ]
      : []),
    dim('    (a service that exits is restarted: after 1 s, doubling up to 30 s; left down after 5 crashes within a minute)'),
    '',
    `  ${bold('Kafka')}         ${kafkaLine}`,
    `  ${bold('PostgreSQL')}    ${pgLine}`,
    `  ${bold('Logs')}          ${rel(logDir)}/<service>.log${infraLogs}`,
    privateTargets
      ? `  ${yellow('!')} HOOKLINE_ALLOW_PRIVATE_TARGETS=true: http:// and loopback/private endpoint URLs are allowed (local development only)`
      : `  Endpoint URLs must be public https:// URLs (HOOKLINE_ALLOW_PRIVATE_TARGETS=false)`,
    '',
    `  ${bold('Try it')} ${dim('(in another terminal, from this folder; the same steps as the README)')}`,
    '',
    `    export HOOKLINE_TOKEN=${token}`,
    dim('    # 1. an endpoint for tenant "acme"\'s invoice.* events; its answer carries the signing secret (whsec_…), kept here for the receiver'),
    `    export HOOKLINE_ENDPOINT_SECRET=$(curl -s -X POST ${admin}/v1/tenants/acme/endpoints -H "Authorization: Bearer $HOOKLINE_TOKEN" \\`,
    `      -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:9000/hooks","eventTypes":["invoice.*"]}' \\`,
    `      | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).secret')`,
    dim('    # 2. a receiver at that URL: prints each delivery and whether its signature verifies with the secret'),
    '    npm run receiver & sleep 2',
    dim('    # 3. an event: the receiver prints it, "✓ signature verified (v1)"'),
    `    curl -s -X POST ${ingest}/v1/events -H "Authorization: Bearer $HOOKLINE_TOKEN" -H 'Content-Type: application/json' \\`,
    `      -d '{"tenantId":"acme","type":"invoice.paid","data":{"invoiceId":"inv_1","amount":4200}}'`,
    dim('    # 4. the delivery in the log, with every attempt (log-store writes it within about a second of the attempt)'),
    `    sleep 1; curl -s "${admin}/v1/deliveries?tenantId=acme" -H "Authorization: Bearer $HOOKLINE_TOKEN"`,
    dim('    kill %1   # stops the receiver'),
    '',
    `  Press ${bold('Ctrl-C')} to stop everything ${dim('(data in .data is kept; delete .data to start from scratch)')}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
