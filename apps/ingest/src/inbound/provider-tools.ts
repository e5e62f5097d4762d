import { sendOnce, type HttpSender } from '@hookline/egress';
import type { ProviderTools } from '@hookline/inbound';

/** The providers' fetcher ingest gives its provider modules (a test in process replaces it: no AWS host is reachable there). */
export const PROVIDER_TOOLS = Symbol('PROVIDER_TOOLS');

const CACHE_MS = 60 * 60 * 1000;
const CACHE_ENTRIES = 100;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_BYTES = 64 * 1024;

/**
 * What providers fetch (AWS SNS's signing certificates, its subscription
 * confirmations): a GET through the SSRF-safe egress, with a timeout, at most
 * 64 KiB read, and successful answers cached for an hour (a certificate is
 * fetched once, not per message). A failure throws: the callback is answered
 * 503, and the provider retries it.
 */
export class EgressProviderTools implements ProviderTools {
  private readonly cache = new Map<string, { text: string; until: number }>();

  constructor(
    private readonly http: HttpSender & { close?(): Promise<void> },
    private readonly now: () => number = Date.now,
  ) {}

  /** Nest calls it at shutdown: the egress's pooled connections are closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.http.close?.();
  }

  async fetchText(url: string): Promise<string> {
    const held = this.cache.get(url);
    if (held && held.until > this.now()) return held.text;
    const answer = await sendOnce(this.http, { method: 'GET', url, headers: {}, body: '', timeoutMs: FETCH_TIMEOUT_MS, captureBytes: MAX_BYTES });
    if (!('response' in answer)) throw new Error(`GET ${new URL(url).host} failed: ${answer.message}`);
    if (answer.response.status < 200 || answer.response.status > 299) throw new Error(`GET ${new URL(url).host} answered ${answer.response.status}`);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(url, { text: answer.response.body, until: this.now() + CACHE_MS });
    return answer.response.body;
  }
}
