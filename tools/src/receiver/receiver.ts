import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookVerifier, WebhookVerificationError, type WebhookVerifier } from '@hookline/verify';
import { type Colours, formatReceived, NO_COLOURS, type SignatureCheck } from './format';
import type { ReceiverOptions } from './options';

/** Bodies beyond this are refused (413) unread: Hookline sends at most a 256 KiB event. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface RunningReceiver {
  /** http://host:port, with the port actually bound (for --port 0). */
  url: string;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function check(verifier: WebhookVerifier | undefined, body: Buffer, req: IncomingMessage): Promise<SignatureCheck> {
  if (!verifier) return { kind: 'unchecked' };
  try {
    // The raw bytes as received: a re-serialised JSON body would not verify.
    const verified = await verifier.verify({ body, headers: req.headers, path: req.url ?? '/' });
    return { kind: 'verified', scheme: verified.scheme };
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { kind: 'refused', code: error.code, message: error.message };
    return { kind: 'error', message: (error as Error).message };
  }
}

/**
 * An HTTP server that shows every request it gets (see format.ts), checks its
 * signature with the endpoint's secret when it has one, and answers
 * `options.status`, or 400 when the signature does not verify.
 */
export async function startReceiver(options: ReceiverOptions & { print: (text: string) => void; colours?: Colours }): Promise<RunningReceiver> {
  const verifier = options.secret ? createWebhookVerifier({ secrets: [options.secret], schemes: [options.scheme] }) : undefined;
  const colours = options.colours ?? NO_COLOURS;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const at = new Date();
      const body = await readBody(req).catch(() => undefined);
      if (body === undefined) {
        options.print(`${req.method} ${req.url}: body larger than ${MAX_BODY_BYTES} bytes or broken off; answered 413`);
        if (!res.headersSent) res.writeHead(413, { connection: 'close' }).end();
        return;
      }
      const signature = await check(verifier, body, req);
      const status = signature.kind === 'refused' || signature.kind === 'error' ? 400 : options.status;
      options.print(formatReceived({ at, method: req.method ?? '?', path: req.url ?? '/', headers: req.headers, body, check: signature, status }, colours));
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok\n' : `${status}\n`);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'the port is in use; pick another --port'
          : error.code === 'EACCES'
            ? 'not allowed; pick a port above 1023'
            : error.message;
      reject(new Error(`cannot listen on ${options.host}:${options.port}: ${why}`));
    });
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
