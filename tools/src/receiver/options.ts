import { SECRET_PREFIX } from '@hookline/verify';
import { integerFlag, parseFlags, UsageError } from '../flags';

export const USAGE = `usage: npm run receiver -- [--port 9000] [--host 127.0.0.1] [--secret whsec_…] [--scheme v1|hookline-v1] [--status 200]
  Listens on http://HOST:PORT (any path) and prints every request: time, event type, webhook-id,
  x-hookline-delivery, path, body size and body, and whether its signature verifies.
  --port N        port to listen on, 0 for any free one (default 9000)
  --host H        address to listen on (default 127.0.0.1)
  --secret S      the endpoint's signing secret (whsec_…), to verify signatures; prefer the environment
                  variable HOOKLINE_ENDPOINT_SECRET: command lines are visible to other users in ps
  --scheme S      the signature scheme to verify: v1 (webhook-signature) or hookline-v1 (x-hookline-signature);
                  pin the one the endpoint is configured with (default v1)
  --status N      the status to answer deliveries with, 200-599 (default 200); a delivery whose signature
                  does not verify is answered 400, as a real receiver would`;

export const SCHEMES = ['v1', 'hookline-v1'] as const;
export type ReceiverScheme = (typeof SCHEMES)[number];

export interface ReceiverOptions {
  port: number;
  host: string;
  /** Never printed. */
  secret?: string;
  /** Where the secret came from, for the start line. */
  secretFrom?: '--secret' | 'HOOKLINE_ENDPOINT_SECRET';
  scheme: ReceiverScheme;
  status: number;
}

const SECRET_SHAPE = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkSecret(value: string, name: string): string {
  // The value is never echoed: it is the key that proves deliveries genuine.
  if (value.length <= SECRET_PREFIX.length || !SECRET_SHAPE.test(value)) {
    throw new UsageError(
      `${name} must be an endpoint signing secret: ${SECRET_PREFIX} followed by base64, as the endpoint's create or GET …/secret answer shows it`,
    );
  }
  return value;
}

/** The options from the command line and the environment, or null when --help asked for the usage. */
export function parseReceiverArgs(args: string[], env: NodeJS.ProcessEnv = process.env): ReceiverOptions | null {
  const values = parseFlags(args, {
    port: { type: 'string', default: '9000' },
    host: { type: 'string', default: '127.0.0.1' },
    secret: { type: 'string' },
    scheme: { type: 'string', default: 'v1' },
    status: { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  const port = integerFlag(values.port, 'port', 0, 65_535, ' (0 picks a free port)');
  const status = integerFlag(values.status, 'status', 200, 599);
  if (!values.host.trim()) throw new UsageError('--host must name an address to listen on, e.g. 127.0.0.1 or 0.0.0.0');
  if (!(SCHEMES as readonly string[]).includes(values.scheme)) throw new UsageError(`--scheme must be one of ${SCHEMES.join(', ')}`);
  const scheme = values.scheme as ReceiverScheme;
  if (values.secret !== undefined) return { port, host: values.host, scheme, status, secret: checkSecret(values.secret, '--secret'), secretFrom: '--secret' };
  const fromEnv = env.HOOKLINE_ENDPOINT_SECRET;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { port, host: values.host, scheme, status, secret: checkSecret(fromEnv, 'HOOKLINE_ENDPOINT_SECRET'), secretFrom: 'HOOKLINE_ENDPOINT_SECRET' };
  }
  return { port, host: values.host, scheme, status };
}
