#!/usr/bin/env node
/*
 * `npm run receiver`: a webhook endpoint for trying Hookline locally. It
 * prints every delivery it gets and checks its signature with
 * @hookline/verify, as a receiver in production should. See options.ts for the
 * flags (npm run receiver -- --help).
 */
import { NO_SECRET_HINT, TERMINAL_COLOURS } from './format';
import { UsageError } from '../flags';
import { parseReceiverArgs, USAGE } from './options';
import { startReceiver } from './receiver';

async function main(): Promise<void> {
  const options = parseReceiverArgs(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const receiver = await startReceiver({
    ...options,
    print: (text) => void process.stdout.write(`${text}\n`),
    colours: TERMINAL_COLOURS,
  });
  const checking = options.secret
    ? `verifying ${options.scheme} signatures with the secret from ${options.secretFrom}`
    : `not checking signatures (${NO_SECRET_HINT})`;
  process.stdout.write(`receiver listening on ${receiver.url} (any path), answering ${options.status}; ${checking}. Ctrl-C stops it.\n`);
  const stop = () => void receiver.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  process.stderr.write(`receiver: ${(error as Error).message}${usage ? ' (npm run receiver -- --help lists the flags)' : ''}\n`);
  process.exit(usage ? 2 : 1);
});
