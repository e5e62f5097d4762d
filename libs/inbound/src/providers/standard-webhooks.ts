import { createWebhookVerifier, WebhookVerificationError } from '@hookline/verify';
import { z } from 'zod';
import { jsonObject, kindOf } from '../crypto';
import { refuse, type InboundProvider, type Verdict } from '../provider';

const Options = z
  .object({
    /** Where the event's kind is in the body (a dotted path, e.g. `type`); the kind is `event` when absent there. */
    typeField: z
      .string()
      .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'must be a dotted path like "type"')
      .default('type'),
  })
  .strict();

/**
 * Standard Webhooks (https://www.standardwebhooks.com/, the scheme Hookline
 * itself signs with as `v1`): `webhook-id`, `webhook-timestamp` (5 minutes'
 * tolerance) and `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`
 * under the `whsec_` secret, checked by libs/verify. The event's id is
 * `webhook-id`; its kind is the body's `type` (or the path given as
 * `typeField`).
 */
export const standardWebhooks: InboundProvider = {
  name: 'standard_webhooks',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'Standard Webhooks are POSTs');
    // Never an HMAC under an empty key: anyone could make one.
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no secret to verify with');
    const verifier = createWebhookVerifier({ secrets: [keys.secret], schemes: ['v1'] });
    try {
      const { id } = await verifier.verify({ body: request.rawBody, headers: request.headers, now: request.receivedAt });
      const data = jsonObject(request.rawBody);
      if (!data) return refuse(400, 'malformed', 'the body is not a JSON object');
      const { typeField } = Options.parse(keys.options);
      const type = typeField.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
      return { kind: 'accepted', events: [{ kind: typeof type === 'string' && kindOf(type) ? kindOf(type) : 'event', id, data }] };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (error.code === 'timestamp_too_old' || error.code === 'timestamp_too_new') return refuse(401, 'stale_timestamp', error.message);
      if (error.code === 'missing_header') return refuse(401, 'missing_signature', error.message);
      return refuse(401, 'bad_signature', error.message);
    }
  },
};
