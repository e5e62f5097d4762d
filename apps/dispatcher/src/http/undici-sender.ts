import { Agent, errors, request } from 'undici';
import { RESPONSE_CAPTURE_BYTES, SendError, type HttpSender, type InboundResponse, type OutboundRequest } from './http-sender';

/**
 * HTTP egress over undici: keep-alive pools per origin, redirects never
 * followed (a 3xx is an answer, and a failure), a hard deadline for the whole
 * exchange, and only the first 4 KiB of a response body read.
 */
export class UndiciSender implements HttpSender {
  private readonly agent: Agent;

  constructor(options: { allowPrivateTargets: boolean }) {
    // No cap on connections per origin: concurrency is capped per endpoint by
    // the dispatcher, and endpoints that share a host must not share a capped
    // pool, or a hanging endpoint would hold the sockets of its neighbours.
    this.agent = new Agent({ keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
    this.allowPrivateTargets = options.allowPrivateTargets;
  }

  private readonly allowPrivateTargets: boolean;

  async post(req: OutboundRequest): Promise<InboundResponse> {
    const url = this.checkTarget(req.url);
    const signal = AbortSignal.timeout(req.timeoutMs);
    try {
      const res = await request(url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
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
        if (size > RESPONSE_CAPTURE_BYTES) {
          truncated = true;
          res.body.destroy();
          break;
        }
      }
      const body = Buffer.concat(chunks).subarray(0, RESPONSE_CAPTURE_BYTES).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      return { status: res.statusCode, headers, body, bodyTruncated: truncated };
    } catch (error) {
      throw this.classify(error, req.timeoutMs);
    }
  }

  /**
   * HTTPS only unless private targets are allowed for local development. The
   * full SSRF guard (address checks after DNS resolution) belongs here too.
   */
  private checkTarget(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SendError('target_refused', 'endpoint URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && !(this.allowPrivateTargets && url.protocol === 'http:')) {
      throw new SendError('target_refused', `endpoint URL must use https (got ${url.protocol})`);
    }
    return url;
  }

  private classify(error: unknown, timeoutMs: number): SendError {
    if (error instanceof SendError) return error;
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
