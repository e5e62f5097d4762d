import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

export type Responder = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | null = null;
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(private responder: Responder = (_req, res) => void res.writeHead(200).end('ok')) {}

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  /** Base URL once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('receiver is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const received = { path: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
        this.requests.push(received);
        this.waiters = this.waiters.filter((w) => (w.predicate() ? (w.resolve(), false) : true));
        void this.responder(received, res);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  /**
   * Resolves with the requests `match` picks, in the order they arrived, once
   * at least `count` (default 1) have; rejects after `timeoutMs` naming `what`.
   * The answer is a snapshot: requests arriving later are not added to it.
   */
  waitFor(match: (request: ReceivedRequest) => boolean, options: { count?: number; timeoutMs?: number; what?: string } = {}): Promise<ReceivedRequest[]> {
    const count = options.count ?? 1;
    return this.waitUntil(() => this.requests.filter(match).length >= count, options).then((all) => all.filter(match));
  }

  /** Resolves with every request so far once `condition` holds for them; rejects after `timeoutMs` naming `what`. */
  waitUntil(condition: (requests: readonly ReceivedRequest[]) => boolean, options: { timeoutMs?: number; what?: string } = {}): Promise<ReceivedRequest[]> {
    const { timeoutMs = 30_000, what = 'requests' } = options;
    if (condition(this.requests)) return Promise.resolve([...this.requests]);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate: () => condition(this.requests),
        resolve: () => {
          clearTimeout(timer);
          resolve([...this.requests]);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.requests.length} requests`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
