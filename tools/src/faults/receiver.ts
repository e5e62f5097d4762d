import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookVerifier, type WebhookVerifier } from '@hookline/verify';

/** What an endpoint answers at a given moment: a status, or `hang` (hold the request until `until`, then 200). */
export type Behaviour = (now: number) => { status: number } | { hangUntil: number };

export interface Receipt {
  /** Endpoint path the request came to. */
  path: string;
  webhookId: string;
  deliveryId: string;
  /** `data.key` of the event: which event this is, whatever ids it was sent under. */
  key: string;
  /** When the request arrived (epoch ms) and when it was answered. */
  at: number;
  /** `data.sentAt` of the event (epoch ms), for event→delivery latency. */
  sentAt: number;
  validSignature: boolean;
  /** What the receiver answered: only a 2xx counts as delivered. */
  status: number;
}

/**
 * The fault suite's webhook endpoint: every request is verified with the
 * endpoint's secret through @hookline/verify (the library receivers use) and
 * recorded, so a run can count deliveries, repeats and bad signatures per
 * (event × endpoint). Each endpoint path has a behaviour: 200 by default, a
 * failing status for a while, or a hang.
 */
export class FaultReceiver {
  readonly receipts: Receipt[] = [];
  private readonly endpoints = new Map<string, { verifier: WebhookVerifier; behaviour: Behaviour }>();
  private readonly held = new Set<ServerResponse>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  addEndpoint(path: string, secret: string, behaviour: Behaviour = () => ({ status: 200 })): void {
    this.endpoints.set(path, { verifier: createWebhookVerifier({ secrets: [secret], schemes: ['v1'] }), behaviour });
  }

  setBehaviour(path: string, behaviour: Behaviour): void {
    const endpoint = this.endpoints.get(path);
    if (endpoint) endpoint.behaviour = behaviour;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const endpoint = this.endpoints.get(path);
      const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : '');
      let key = '';
      let sentAt = NaN;
      try {
        const data = (JSON.parse(body.toString('utf8')) as { data?: { key?: unknown; sentAt?: unknown } }).data;
        if (typeof data?.key === 'string') key = data.key;
        if (typeof data?.sentAt === 'number') sentAt = data.sentAt;
      } catch {
        /* an unparsable body keeps key '' and is reported as unexpected */
      }
      const verified = endpoint
        ? endpoint.verifier.verify({ body, headers: req.headers, path }).then(
            () => true,
            () => false,
          )
        : Promise.resolve(false);
      void verified.then((validSignature) => {
        const answer = endpoint ? endpoint.behaviour(at) : { status: 404 };
        const receipt: Receipt = {
          path,
          webhookId: header('webhook-id'),
          deliveryId: header('x-hookline-delivery'),
          key,
          at,
          sentAt,
          validSignature,
          status: 0,
        };
        const reply = (status: number) => {
          receipt.status = status;
          this.receipts.push(receipt);
          if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'failing on purpose');
        };
        if ('hangUntil' in answer) {
          // Held without an answer; answered 200 when the hang ends (if the dispatcher has not given up by then).
          this.held.add(res);
          res.on('close', () => this.held.delete(res));
          setTimeout(
            () => {
              this.held.delete(res);
              if (!res.destroyed) reply(200);
            },
            Math.max(0, answer.hangUntil - Date.now()),
          );
        } else {
          reply(answer.status);
        }
      });
    });
  }
}
