import { z } from 'zod';
import { EndpointStateSchema } from '../event/operational-events';
import { EndpointIdSchema, TenantIdSchema } from '../ids/ids';
import { defineTopic } from './topic-contract';

/** Every signature scheme an endpoint can sign with (README, "Security: verifying a delivery"); `v1` is the default. */
export const SIGNATURE_SCHEMES = ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'] as const;
export const SignatureSchemeSchema = z.enum(SIGNATURE_SCHEMES);
export type SignatureScheme = z.infer<typeof SignatureSchemeSchema>;

/** Schemes that sign with a key pair of the same name rather than the endpoint secret. */
export const KEY_PAIR_ALGORITHMS = ['ed25519', 'rsa-sha256'] as const;
export type KeyPairAlgorithm = (typeof KEY_PAIR_ALGORITHMS)[number];

/** What a sealed value of an endpoint is: a signing secret, a private key, or a chat endpoint's URL (it holds the tool's token). */
export type SealedPurpose = 'endpoint-secret' | 'signing-key' | 'chat-url';

/**
 * The associated data a secret of an endpoint is sealed with (libs/encryption):
 * purpose, tenant and endpoint. A sealed value moved to another tenant's or
 * endpoint's row, or from a secret field to a private-key field, does not open.
 */
export function sealingContext(purpose: SealedPurpose, tenantId: string, endpointId: string): string {
  return JSON.stringify([`hookline.${purpose}.v1`, tenantId, endpointId]);
}

export const EndpointSecretSchema = z.object({
  /** `whsec_` + base64 key, sealed under the master key (`sealingContext('endpoint-secret', …)`). */
  secret: z.string(),
  createdAt: z.string(),
  /** Set when the secret was rotated out; it keeps signing until then. */
  expiresAt: z.string().nullable(),
});

export type EndpointSecret = z.infer<typeof EndpointSecretSchema>;

/** The secrets that sign at `at`: every one not yet expired (old and new overlap during a rotation). */
export function activeSecrets<S extends Pick<EndpointSecret, 'expiresAt'>>(secrets: readonly S[], at: Date): S[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > at.getTime());
}

/** A private signing key of an endpoint; its public half is served by admin-api. */
export const EndpointSigningKeySchema = z.object({
  /** RFC 7638 thumbprint of the public key; sent as the key id. */
  keyId: z.string(),
  algorithm: z.enum(KEY_PAIR_ALGORITHMS),
  /** `whsk_…` (ed25519) or PKCS#8 PEM (rsa), sealed under the master key (`sealingContext('signing-key', …)`). */
  privateKey: z.string(),
  createdAt: z.string(),
});
export type EndpointSigningKey = z.infer<typeof EndpointSigningKeySchema>;

/**
 * An endpoint's own retry policy, in milliseconds: a list of waits, or
 * exponential waits (`initialMs × factor^(k-1)`, at most `maxDelayMs`, for
 * `attempts` attempts in all). admin-api validates it (libs/retry-policy
 * `RetryPolicyInputSchema`); null means the default schedule.
 */
export const EndpointRetryPolicySchema = z.union([
  z.object({ delaysMs: z.array(z.number().int().nonnegative()) }),
  z.object({
    initialMs: z.number().int().nonnegative(),
    factor: z.number().min(1),
    maxDelayMs: z.number().int().nonnegative(),
    attempts: z.number().int().min(1),
  }),
]);
export type EndpointRetryPolicy = z.infer<typeof EndpointRetryPolicySchema>;

/**
 * How fast the dispatcher may start requests to an endpoint: a token bucket
 * refilled at `perSecond` (fractions allowed) holding at most `burst`.
 * admin-api validates it (libs/retry-policy `RateLimitInputSchema`).
 */
export const EndpointRateLimitSchema = z.object({
  perSecond: z.number().positive(),
  burst: z.number().int().min(1),
});
export type EndpointRateLimit = z.infer<typeof EndpointRateLimitSchema>;

/** The chat tools an endpoint can post to (README, "Chat outputs"). */
export const CHAT_TOOLS = ['slack', 'teams', 'google_chat', 'discord', 'telegram'] as const;
export const ChatToolSchema = z.enum(CHAT_TOOLS);
export type ChatTool = z.infer<typeof ChatToolSchema>;

/**
 * What makes an endpoint a chat endpoint: the tool, the URL posted to (the
 * incoming-webhook URL, or Telegram's `sendMessage` with the bot token), which
 * holds the tool's token and so is sealed like a secret
 * (`sealingContext('chat-url', …)`), Telegram's chat, and the message template
 * (libs/chat `ChatTemplate`, as admin-api validated it) used when an event
 * reaches the endpoint without one of its own. The endpoint's `url` is then a
 * masked form, shown and logged in place of the real one.
 */
export const EndpointChatSchema = z.object({
  tool: ChatToolSchema,
  url: z.string(),
  telegramChatId: z.string().nullable().default(null),
  template: z.record(z.string(), z.unknown()).nullable().default(null),
});
export type EndpointChat = z.infer<typeof EndpointChatSchema>;

/** The full, current state of one endpoint. Tombstone (null value) = deleted. */
export const EndpointConfigSchema = z
  .object({
    id: EndpointIdSchema,
    tenantId: TenantIdSchema,
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    /** Which signatures each delivery carries; messages from before schemes existed mean `v1`. */
    signatureSchemes: z.array(SignatureSchemeSchema).min(1).default(['v1']),
    secrets: z.array(EndpointSecretSchema),
    signingKeys: z.array(EndpointSigningKeySchema).default([]),
    headers: z.record(z.string(), z.string()),
    /** `state !== 'disabled'`: rules-engine routes to it and the dispatcher sends to it (a paused one's deliveries are held). */
    enabled: z.boolean(),
    /** `enabled`, `paused` or `disabled`; messages from before states existed derive it from `enabled`. */
    state: EndpointStateSchema.optional(),
    /** The endpoint version at which the state last changed (a re-enable starts a new failure run); before states existed, 1. */
    stateVersion: z.number().int().default(1),
    /** Consecutive failed deliveries that disable the endpoint (README, "Endpoint states"). */
    disableAfterFailures: z.number().int().min(1).default(10),
    timeoutMs: z.number().int(),
    /** Messages from before per-endpoint policies existed mean the default. */
    retryPolicy: EndpointRetryPolicySchema.nullable().default(null),
    /** Null, as in messages from before rate limits existed: no limit. */
    rateLimit: EndpointRateLimitSchema.nullable().default(null),
    /** Requests in flight at once, within the dispatcher's own cap; null, as in older messages: that cap. */
    maxInFlight: z.number().int().min(1).nullable().default(null),
    /** A condition (libs/conditions) an event must match to be delivered here, as admin-api validated it; null, as in older messages: every subscribed event. */
    filter: z.record(z.string(), z.unknown()).nullable().default(null),
    /** Set for a chat endpoint; null, as in older messages: a webhook endpoint. */
    chat: EndpointChatSchema.nullable().default(null),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .transform((config) => ({ ...config, state: config.state ?? (config.enabled ? ('enabled' as const) : ('disabled' as const)) }));
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;

export const EndpointsChangedTopic = defineTopic({
  name: 'hookline.endpoints.changed.v1',
  schema: EndpointConfigSchema,
  key: (endpoint) => endpoint.id,
  compacted: true,
  description: 'compacted endpoint configuration, keyed by endpoint id; null value = deleted',
});
