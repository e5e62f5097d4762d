import { z } from 'zod';
import { hmac, jsonObject, kindOf, safeEqual, withinTolerance } from '../crypto';
import { refuse, type InboundProvider, type Verdict, type ProviderKind } from '../provider';

const Options = z
  .object({
    /** How far `t` may be from the time the request arrived, either side (Stripe's libraries default to 300 s). */
    toleranceSeconds: z
      .number({ error: 'toleranceSeconds must be a number of seconds' })
      .int('toleranceSeconds must be whole seconds')
      .min(1, 'toleranceSeconds must be 1-86400 s')
      .max(86_400, 'toleranceSeconds must be 1-86400 s')
      .default(300),
  })
  .strict();
export type StripeOptions = z.infer<typeof Options>;

/** The `t` and every `v1` of a `Stripe-Signature` header; null unless it has exactly one Unix-seconds `t` and at least one `v1`. */
function parseSignatureHeader(header: string): { timestamp: string; v1: string[] } | null {
  const timestamps: string[] = [];
  const v1: string[] = [];
  for (const element of header.split(',')) {
    const at = element.indexOf('=');
    if (at < 0) continue;
    const key = element.slice(0, at).trim();
    const value = element.slice(at + 1).trim();
    if (key === 't') timestamps.push(value);
    else if (key === 'v1') v1.push(value.toLowerCase());
    // Every other scheme (v0, Stripe's test-mode one) is discarded: Stripe's docs say to ignore all but v1 against downgrades.
  }
  if (timestamps.length !== 1 || !/^[0-9]{1,12}$/.test(timestamps[0]) || v1.length === 0) return null;
  return { timestamp: timestamps[0], v1 };
}

/** `created` as ISO 8601: Unix seconds in snapshot events, an ISO string in v2 (thin) event notifications. */
function occurredAt(created: unknown): string | undefined {
  if (typeof created === 'number' && Number.isInteger(created) && created >= 0 && created < 1e11) return new Date(created * 1000).toISOString();
  if (typeof created === 'string' && created.length <= 64) {
    const ms = Date.parse(created);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return undefined;
}

/**
 * Stripe (https://docs.stripe.com/webhooks#verify-manually, formerly
 * https://stripe.com/docs/webhooks/signatures): every delivery carries
 * `Stripe-Signature: t=<Unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, where
 * each `v1` is the lowercase-hex HMAC-SHA256, under the endpoint's signing
 * secret (`whsec_…`, used as the key exactly as the string it is, not
 * base64-decoded), of the bytes `<t>.` followed by the raw request body. The
 * request is accepted when any `v1` matches (Stripe sends several while a
 * secret is being rolled); `v0` and every other scheme are ignored, as Stripe
 * says to, against downgrade attacks. Signatures are compared in constant
 * time, then `t` must lie within `toleranceSeconds` (default 300, Stripe's
 * libraries' default) of the time the request arrived, either side.
 *
 * Only then is the body parsed: the Stripe Event becomes one Hookline event
 * whose kind is the event's `type` (`invoice.paid`,
 * `customer.subscription.updated`), whose id is the event's `id` (`evt_…`,
 * the same on every retry of the event) and whose data is the whole Event
 * object; `created` gives its time. v2 (thin) event notifications are signed
 * the same way and carry `id`, `type` and an ISO `created`, so they pass
 * through unchanged.
 */
export const stripe: InboundProvider = {
  name: 'stripe',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'Stripe webhooks are POSTs');
    const { toleranceSeconds } = Options.parse(keys.options ?? {});
    const header = request.headers['stripe-signature'];
    if (!header) return refuse(401, 'missing_signature', 'no Stripe-Signature header');
    const parsed = parseSignatureHeader(header);
    if (!parsed) return refuse(401, 'missing_signature', 'Stripe-Signature has no single Unix-seconds t= and no v1= signature');
    // No secret must never mean "signed with the empty key", which anyone can compute.
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no endpoint signing secret to check Stripe-Signature with');

    const signedPayload = Buffer.concat([Buffer.from(`${parsed.timestamp}.`, 'utf8'), request.rawBody]);
    const expected = hmac('sha256', keys.secret, signedPayload, 'hex');
    // Every v1 is compared (no early exit), each in constant time.
    const matched = parsed.v1.reduce((found, candidate) => safeEqual(candidate, expected) || found, false);
    if (!matched) return refuse(401, 'bad_signature', `none of the ${parsed.v1.length} v1 signature(s) in Stripe-Signature matches`);
    if (!withinTolerance(Number(parsed.timestamp), request.receivedAt, toleranceSeconds))
      return refuse(401, 'stale_timestamp', `Stripe-Signature t= is more than ${toleranceSeconds} s from now`);

    const event = jsonObject(request.rawBody);
    if (!event) return refuse(400, 'malformed', 'the body is not a JSON object');
    if (typeof event.id !== 'string' || !event.id) return refuse(400, 'malformed', 'the event has no id');
    const kind = typeof event.type === 'string' ? kindOf(event.type) : '';
    if (!kind) return refuse(400, 'malformed', 'the event has no type');
    const at = occurredAt(event.created);
    return { kind: 'accepted', events: [{ kind, id: event.id, data: event, ...(at ? { occurredAt: at } : {}) }] };
  },
};

/** The Stripe events most endpoints subscribe to, each with an example of its data (the Event object). */
export const stripeKinds: ProviderKind[] = [
  {
    kind: 'payment_intent.succeeded',
    description: 'A PaymentIntent was confirmed and the payment succeeded.',
    example: {
      id: 'evt_3PqR8sLkdIwHu7ix0a1b2c3d',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719825600,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_9Xk2mPq7sT1vZa', idempotency_key: '7f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f' },
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: 'pi_3PqR8sLkdIwHu7ix0e5f6g7h',
          object: 'payment_intent',
          amount: 2000,
          amount_received: 2000,
          currency: 'usd',
          customer: 'cus_QhT3bV9yWm2XkL',
          latest_charge: 'ch_3PqR8sLkdIwHu7ix0i8j9k0l',
          payment_method: 'pm_1PqR8rLkdIwHu7ixm1n2o3p4',
          status: 'succeeded',
          metadata: { order_id: '6735' },
        },
      },
    },
  },
  {
    kind: 'payment_intent.payment_failed',
    description: 'A payment attempt on a PaymentIntent failed (declined card, failed authentication, …).',
    example: {
      id: 'evt_3PqS1aLkdIwHu7ix1q2r3s4t',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719826200,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_Lm4nP8qR2sT6uV', idempotency_key: null },
      type: 'payment_intent.payment_failed',
      data: {
        object: {
          id: 'pi_3PqS1aLkdIwHu7ix1u5v6w7x',
          object: 'payment_intent',
          amount: 4500,
          currency: 'eur',
          customer: 'cus_QhU8cW1zXn3YlM',
          status: 'requires_payment_method',
          last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', type: 'card_error' },
        },
      },
    },
  },
  {
    kind: 'checkout.session.completed',
    description: 'A customer completed a Checkout Session.',
    example: {
      id: 'evt_1PqT2bLkdIwHu7ixy8z9a0b1',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719827000,
      livemode: false,
      pending_webhooks: 2,
      request: { id: null, idempotency_key: null },
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsT',
          object: 'checkout.session',
          amount_total: 3900,
          currency: 'usd',
          customer: 'cus_QhV9dX2aYo4ZmN',
          customer_details: { email: 'jenny.rosen@example.com', name: 'Jenny Rosen' },
          mode: 'subscription',
          payment_status: 'paid',
          status: 'complete',
          subscription: 'sub_1PqT2aLkdIwHu7ixc2d3e4f5',
          client_reference_id: 'user_42',
        },
      },
    },
  },
  {
    kind: 'invoice.paid',
    description: 'An invoice was paid (or marked paid out of band).',
    example: {
      id: 'evt_1PqU3cLkdIwHu7ixg6h7i8j9',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719828000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'invoice.paid',
      data: {
        object: {
          id: 'in_1PqU3bLkdIwHu7ixk0l1m2n3',
          object: 'invoice',
          amount_due: 3900,
          amount_paid: 3900,
          currency: 'usd',
          customer: 'cus_QhV9dX2aYo4ZmN',
          billing_reason: 'subscription_cycle',
          hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1Nv0FGLkdIwHu7ix/test_YWNjdF8xTnYwRkdMa2RJd0h1N2l4',
          number: 'F3A1C2D4-0007',
          paid: true,
          status: 'paid',
          subscription: 'sub_1PqT2aLkdIwHu7ixc2d3e4f5',
        },
      },
    },
  },
  {
    kind: 'invoice.payment_failed',
    description: "An invoice's payment attempt failed; Stripe may retry it according to the subscription's settings.",
    example: {
      id: 'evt_1PqV4dLkdIwHu7ixo4p5q6r7',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719829000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'invoice.payment_failed',
      data: {
        object: {
          id: 'in_1PqV4cLkdIwHu7ixs8t9u0v1',
          object: 'invoice',
          amount_due: 3900,
          amount_paid: 0,
          attempt_count: 1,
          currency: 'usd',
          customer: 'cus_QhW0eY3bZp5AnO',
          next_payment_attempt: 1720001800,
          status: 'open',
          subscription: 'sub_1PqV4bLkdIwHu7ixw2x3y4z5',
        },
      },
    },
  },
  {
    kind: 'customer.subscription.created',
    description: 'A subscription was created for a customer.',
    example: {
      id: 'evt_1PqW5eLkdIwHu7ixa6b7c8d9',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719830000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_Qr5sT9uV3wX7yZ', idempotency_key: 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e' },
      type: 'customer.subscription.created',
      data: {
        object: {
          id: 'sub_1PqW5dLkdIwHu7ixe0f1g2h3',
          object: 'subscription',
          customer: 'cus_QhX1fZ4cAq6BoP',
          status: 'active',
          current_period_start: 1719830000,
          current_period_end: 1722508400,
          items: {
            object: 'list',
            data: [{ id: 'si_QhX1gA5dBr7CpQ', price: { id: 'price_1Nv0HhLkdIwHu7ixPro', unit_amount: 3900, currency: 'usd' }, quantity: 1 }],
          },
        },
      },
    },
  },
  {
    kind: 'customer.subscription.updated',
    description: "A subscription changed (plan, quantity, status, cancellation at period end, …); `data.previous_attributes` holds the fields' old values.",
    example: {
      id: 'evt_1PqX6fLkdIwHu7ixi4j5k6l7',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719831000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_Tu7vW1xY5zA9bC', idempotency_key: null },
      type: 'customer.subscription.updated',
      data: {
        object: {
          id: 'sub_1PqW5dLkdIwHu7ixe0f1g2h3',
          object: 'subscription',
          customer: 'cus_QhX1fZ4cAq6BoP',
          status: 'active',
          cancel_at_period_end: true,
          current_period_end: 1722508400,
        },
        previous_attributes: { cancel_at_period_end: false },
      },
    },
  },
  {
    kind: 'customer.subscription.deleted',
    description: 'A subscription ended (canceled immediately or at the end of its period).',
    example: {
      id: 'evt_1PqY7gLkdIwHu7ixm8n9o0p1',
      object: 'event',
      api_version: '2024-06-20',
      created: 1722508400,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'customer.subscription.deleted',
      data: {
        object: {
          id: 'sub_1PqW5dLkdIwHu7ixe0f1g2h3',
          object: 'subscription',
          customer: 'cus_QhX1fZ4cAq6BoP',
          status: 'canceled',
          canceled_at: 1722508400,
          ended_at: 1722508400,
          cancellation_details: { reason: 'cancellation_requested', comment: null, feedback: 'too_expensive' },
        },
      },
    },
  },
  {
    kind: 'charge.refunded',
    description: 'A charge was refunded, fully or in part.',
    example: {
      id: 'evt_3PqZ8hLkdIwHu7ix2q3r4s5t',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719833000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_Wx9yZ3aB7cD1eF', idempotency_key: 'c5d6e7f8-a9b0-4c1d-8e2f-3a4b5c6d7e8f' },
      type: 'charge.refunded',
      data: {
        object: {
          id: 'ch_3PqR8sLkdIwHu7ix0i8j9k0l',
          object: 'charge',
          amount: 2000,
          amount_refunded: 2000,
          currency: 'usd',
          customer: 'cus_QhT3bV9yWm2XkL',
          payment_intent: 'pi_3PqR8sLkdIwHu7ix0e5f6g7h',
          refunded: true,
          status: 'succeeded',
        },
        previous_attributes: { amount_refunded: 0, refunded: false },
      },
    },
  },
  {
    kind: 'charge.dispute.created',
    description: 'A customer disputed a charge with their bank; evidence is due by `evidence_details.due_by`.',
    example: {
      id: 'evt_3PqA9iLkdIwHu7ix6u7v8w9x',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719834000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'charge.dispute.created',
      data: {
        object: {
          id: 'du_1PqA9hLkdIwHu7ixa0b1c2d3',
          object: 'dispute',
          amount: 2000,
          charge: 'ch_3PqR8sLkdIwHu7ix0i8j9k0l',
          currency: 'usd',
          reason: 'fraudulent',
          status: 'needs_response',
          evidence_details: { due_by: 1720655999, has_evidence: false, past_due: false, submission_count: 0 },
        },
      },
    },
  },
  {
    kind: 'customer.created',
    description: 'A customer was created.',
    example: {
      id: 'evt_1PqB0jLkdIwHu7ixe4f5g6h7',
      object: 'event',
      api_version: '2024-06-20',
      created: 1719835000,
      livemode: false,
      pending_webhooks: 1,
      request: { id: 'req_Za1bC5dE9fG3hI', idempotency_key: 'd6e7f8a9-b0c1-4d2e-9f3a-4b5c6d7e8f9a' },
      type: 'customer.created',
      data: {
        object: {
          id: 'cus_QhY2hB6eCs8DqR',
          object: 'customer',
          created: 1719835000,
          email: 'jenny.rosen@example.com',
          name: 'Jenny Rosen',
          livemode: false,
          metadata: { user_id: '42' },
        },
      },
    },
  },
];
