#!/usr/bin/env node
/*
 * hookline-infra CLI (compiled to dist/cli.js):
 *   node libs/infra/dist/cli.js fetch-kafka [--cache-dir DIR]
 *   node libs/infra/dist/cli.js kafka --data-dir DIR [--port N] [--controller-port N] [--heap-mb N]
 *   node libs/infra/dist/cli.js postgres --data-dir DIR [--port N]
 * `kafka` and `postgres` run in the foreground until Ctrl-C / SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ensureKafkaJars } from './kafka-jars';
import { startKafka } from './kafka';
import { startPostgres } from './postgres';

const log = (msg: string) => process.stderr.write(`[infra] ${msg}\n`);

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function requireDataDir(value: string | undefined): string {
  if (!value) throw new Error('--data-dir is required');
  return value;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'cache-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'heap-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  switch (command) {
    case 'fetch-kafka': {
      const dir = await ensureKafkaJars({ cacheDir: values['cache-dir'], log });
      process.stdout.write(`${dir}\n`);
      return;
    }
    case 'kafka': {
      const kafka = await startKafka({
        dataDir: requireDataDir(values['data-dir']),
        port: intOption(values.port, 'port'),
        controllerPort: intOption(values['controller-port'], 'controller-port'),
        heapMb: intOption(values['heap-mb'], 'heap-mb'),
        cacheDir: values['cache-dir'],
        log,
      });
      process.stdout.write(`KAFKA_BROKERS=${kafka.brokers}\n`);
      return; // the running broker keeps the process alive; Ctrl-C stops it
    }
    case 'postgres': {
      const pg = await startPostgres({ dataDir: requireDataDir(values['data-dir']), port: intOption(values.port, 'port'), log });
      process.stdout.write(`DATABASE_URL=${pg.url}\n`);
      return;
    }
    default:
      process.stdout.write(
        'usage: cli.js fetch-kafka [--cache-dir DIR]\n' +
          '       cli.js kafka --data-dir DIR [--port N] [--controller-port N] [--heap-mb N] [--cache-dir DIR]\n' +
          '       cli.js postgres --data-dir DIR [--port N]\n',
      );
      if (!values.help) process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
