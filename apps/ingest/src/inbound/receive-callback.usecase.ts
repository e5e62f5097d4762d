import type { EventInput } from '@hookline/contracts';
import { inboundEventId, PROVIDERS, sourceSecretContext, type InboundRequest, type ProviderAnswer, type ProviderTools, type Verdict } from '@hookline/inbound';
import { context } from '@hookline/telemetry';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { AcceptInOneGo } from '../accept-events/accept-coalescer';
import { validateEventInput } from '../events/event-input';
import type { InboundLogEntry, InboundSource, InboundStore } from './inbound.ports';

/** Opens a source's sealed secret; `MasterKeyring` (libs/encryption) is one. */
export interface SecretOpener {
  open(sealed: string, context: string): string;
}

/** What ingest answers the provider: the status, and the body the provider expects. */
export type CallbackAnswer = ProviderAnswer;

const received = new Counter({
  name: 'hookline_inbound_requests_total',
  help: 'Requests to inbound sources, by provider and outcome (accepted, handshake, refused)',
  labelNames: ['provider', 'outcome'],
});

const json = (status: number, body: Record<string, unknown>): CallbackAnswer => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

/**
 * One request to an inbound source: the source looked up (404 unknown, 410
 * disabled), the request verified by its provider's module from the raw bytes,
 * each callback it carries turned into an event `<prefix>.<kind>` whose id
 * derives from the source and the provider's own id (a provider's retry is
 * deduplicated), and the answer the provider expects given once the events
 * are durably on Kafka. Every request, accepted or refused, is written to the
 * inbound log: source, reason, time and size, never a secret, and the body
 * only when the source's operator opted in.
 */
export class ReceiveCallback {
  constructor(
    private readonly store: InboundStore,
    private readonly keyring: SecretOpener,
    private readonly accept: AcceptInOneGo,
    private readonly tools: ProviderTools,
    private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  async execute(sourceId: string, request: InboundRequest): Promise<CallbackAnswer> {
    const source = await this.store.source(sourceId);
    const entry = (fields: Pick<InboundLogEntry, 'outcome' | 'status' | 'reason' | 'detail'> & { eventIds?: string[] }): InboundLogEntry => ({
      id: uuidv7(),
      sourceId,
      tenantId: source?.tenantId ?? null,
      receivedAt: request.receivedAt,
      size: request.rawBody.length,
      body: source?.storeBodies ? request.rawBody.toString('utf8') : null,
      eventIds: [],
      ...fields,
    });
    if (!source) {
      await this.log(entry({ outcome: 'refused', status: 404, reason: 'unknown_source', detail: null }));
      return json(404, { error: 'not_found', message: `inbound source ${sourceId} not found` });
    }
    const provider = PROVIDERS[source.provider];
    if (!source.enabled || !provider) {
      await this.log(entry({ outcome: 'refused', status: 410, reason: 'source_disabled', detail: null }));
      return json(410, { error: 'gone', message: `inbound source ${sourceId} is disabled` });
    }

    let verdict: Verdict;
    try {
      verdict = await provider.verify(request, this.keysOf(source), this.tools);
      // A secret that does not open, a certificate that cannot be fetched: nothing the provider did wrong; it retries.
    } catch (err) {
      this.logger.error({ err, sourceId, provider: provider.name }, 'an inbound callback could not be verified');
      await this.log(entry({ outcome: 'refused', status: 503, reason: 'verification_failed', detail: 'the callback could not be verified now' }));
      return json(503, { error: 'unavailable', message: 'the callback could not be verified now; retry it' });
    }
    received.inc({ provider: provider.name, outcome: verdict.kind });
    if (verdict.kind === 'refused') {
      await this.log(entry({ outcome: 'refused', status: verdict.status, reason: verdict.reason, detail: verdict.detail }));
      return json(verdict.status, { error: verdict.reason, message: verdict.detail });
    }
    if (verdict.kind === 'handshake') {
      await this.log(entry({ outcome: 'handshake', status: verdict.answer.status, reason: null, detail: verdict.detail }));
      return verdict.answer;
    }

    const inputs: EventInput[] = [];
    for (const event of verdict.events) {
      const checked = validateEventInput({
        tenantId: source.tenantId,
        type: `${source.eventTypePrefix}.${event.kind}`,
        id: inboundEventId(source.id, event.id),
        data: event.data,
        ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
      });
      if (!checked.ok) {
        const detail = checked.issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
        await this.log(entry({ outcome: 'refused', status: 400, reason: 'unstorable', detail }));
        return json(400, { error: 'unstorable', message: `the callback cannot be stored as an event: ${detail}` });
      }
      inputs.push(checked.value);
    }
    const accepted =
      inputs.length === 0
        ? []
        : await this.accept.execute(
            inputs.map((input) => ({ input, parentContext: context.active() })),
            'http',
          );
    const answer = verdict.answer ?? json(200, { received: true });
    await this.log(entry({ outcome: 'accepted', status: answer.status, reason: null, detail: null, eventIds: accepted.map((a) => a.id) }));
    return answer;
  }

  private keysOf(source: InboundSource) {
    return {
      ...(source.secret === null ? {} : { secret: this.keyring.open(source.secret, sourceSecretContext(source.tenantId, source.id)) }),
      ...(source.publicKey === null ? {} : { publicKey: source.publicKey }),
      options: source.options,
    };
  }

  /** The log is written after the answer is settled; a failure to write it is logged, never the provider's problem. */
  private async log(entry: InboundLogEntry): Promise<void> {
    try {
      await this.store.record(entry);
    } catch (err) {
      this.logger.warn({ err, sourceId: entry.sourceId, outcome: entry.outcome }, 'an inbound request could not be written to the inbound log');
    }
  }
}
