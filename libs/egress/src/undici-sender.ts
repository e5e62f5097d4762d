import { errors, request, type Agent } from 'undici';
import { findEgressBlock, type EgressBlockedInfo } from './egress-blocked.error';
import { createSafeAgent } from './safe-agent';
import { checkTargetUrl } from './target-url';
import { RESPONSE_CAPTURE_BYTES, SendError, type HttpSender, type InboundResponse, type OutboundRequest } from './http-sender';

/**
 * HTTP egress over undici behind the SSRF guard: the URL is checked, DNS is
 * resolved once and every answer checked, and the socket goes to exactly the
 * checked address (so rebinding has nothing to change). Keep-alive pools per
 * origin, redirects never followed (a 3xx is an answer, and a failure), a hard
 * deadline for the whole exchange, and only the first 4 KiB of a body read.
 */
export class UndiciSender implements HttpSender {
  private readonly agent: Agent;
  private readonly allowPrivateTargets: boolean;

  constructor(options: {
    allowPrivateTargets: boolean;
    onBlocked?: (info: EgressBlockedInfo) => void;
    /** DNS resolution; the system resolver unless a test brings its own. */
    lookup?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  }) {
    this.allowPrivateTargets = options.allowPrivateTargets;
    // No cap on connections per origin: concurrency is capped per endpoint by
    // the dispatcher, and endpoints that share a host must not share a capped
    // pool, or a hanging endpoint would hold the sockets of its neighbours.
    this.agent = createSafeAgent({
      allowPrivateTargets: options.allowPrivateTargets,
      onBlocked: options.onBlocked,
      lookup: options.lookup,
      keepAliveTimeout: 4_000,
      connect: { timeout: 5_000 },
    });
  }

  async post(req: OutboundRequest): Promise<InboundResponse> {
    const target = checkTargetUrl(req.url, { allowPrivateTargets: this.allowPrivateTargets });
    if (!target.ok) throw new SendError('target_refused', `SSRF block: ${target.reason}`);
    const signal = AbortSignal.timeout(req.timeoutMs);
    const capture = req.captureBytes ?? RESPONSE_CAPTURE_BYTES;
    try {
      const res = await request(target.url, {
        method: req.method ?? 'POST',
        headers: req.headers,
        body: req.method === 'GET' ? undefined : req.body,
        dispatcher: this.agent,
        signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        chunks.push(buf);
        size += buf.length;
        if (size > capture) {
          truncated = true;
          res.body.destroy();
          break;
        }
      }
      const body = Buffer.concat(chunks).subarray(0, capture).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      return { status: res.statusCode, headers, body, bodyTruncated: truncated };
    } catch (error) {
      throw this.classify(error, req.timeoutMs);
    }
  }

  private classify(error: unknown, timeoutMs: number): SendError {
    if (error instanceof SendError) return error;
    const blocked = findEgressBlock(error);
    if (blocked) return new SendError('target_refused', blocked.message);
    const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    if (
      e.name === 'TimeoutError' ||
      e.name === 'AbortError' ||
      error instanceof errors.HeadersTimeoutError ||
      error instanceof errors.BodyTimeoutError ||
      e.code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return new SendError('timeout', `no complete answer within ${timeoutMs} ms`);
    }
    const code = e.code ?? e.cause?.code;
    return new SendError('network', code ? `${code}: ${e.cause?.message ?? e.message}` : e.message);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
