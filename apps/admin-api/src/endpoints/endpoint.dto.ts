import { ChatTemplateSchema } from '@hookline/chat';
import {
  CHAT_TOOLS,
  EndpointIdSchema,
  EndpointStateSchema,
  SIGNATURE_SCHEMES,
  StateChangeCauseSchema,
  TenantIdSchema,
  type EndpointId,
  type TenantId,
} from '@hookline/contracts';
import { RateLimitInputSchema, RetryPolicyInputSchema, retryPolicyView, RetryPolicyViewSchema } from '@hookline/retry-policy';
import { notFound } from '@hookline/service-kit';
import { z } from 'zod';
import { pageOf } from '../http/page';
import { parseRequest } from '../http/parse-request';
import { SigningKeyViewSchema, toSigningKeyView } from '../signing-keys/signing-key.dto';
import { chatSettings, endpointSettings, type EndpointEntity } from './endpoint.entity';

const EVENT_TYPE_PATTERN = z
  .string()
  .regex(/^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/, 'must be "*", an event type like "invoice.paid", or a prefix like "invoice.*"');

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const EndpointFields = {
  url: z.string().max(2048, 'must be at most 2048 characters').url('must be an absolute URL'),
  description: z.string().max(1024, 'must be at most 1024 characters'),
  /** At least one for a webhook endpoint (checked with the rest of the endpoint); a chat endpoint may list none and take messages from rules only. */
  eventTypes: z.array(EVENT_TYPE_PATTERN).max(200, 'must list at most 200 event types'),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, 'must be a valid HTTP header name'),
      z
        .string()
        .max(4096)
        .regex(/^[^\r\n]*$/, 'must not contain line breaks'),
    )
    .refine((h) => Object.keys(h).length <= 20, 'must hold at most 20 headers'),
  enabled: z.boolean(),
  timeoutMs: z.number().int('must be an integer').min(1000, 'must be 1000-30000 ms').max(30_000, 'must be 1000-30000 ms'),
  /** Which signatures each delivery carries (README, "The delivery request"); key pairs for `ed25519` and `rsa-sha256` are generated when first needed. */
  signatureSchemes: z
    .array(z.enum(SIGNATURE_SCHEMES, { error: `must be one of ${SIGNATURE_SCHEMES.join(', ')}` }))
    .min(1, 'must list at least one signature scheme')
    .refine((s) => new Set(s).size === s.length, 'must not list a scheme twice'),
  /** Consecutive failed deliveries that disable the endpoint (README, "Endpoint states"). */
  disableAfterFailures: z.number('must be a number').int('must be an integer').min(1, 'must be 1-1000').max(1000, 'must be 1-1000'),
  /** `{ delays: [...] }` or `{ initial, factor, maxDelay, attempts }`; null = the default schedule (README, "Delivery semantics"). */
  retryPolicy: RetryPolicyInputSchema,
  /** `{ perSecond, burst? }` (burst defaults to one second's worth); null = no limit (README, "Delivery semantics"). */
  rateLimit: RateLimitInputSchema,
  /** Requests in flight at once; null = the dispatcher's `DISPATCHER_ENDPOINT_CONCURRENCY`, which also caps it. */
  maxInFlight: z
    .number('must be null or an integer from 1 to 1000')
    .int('must be an integer from 1 to 1000')
    .min(1, 'must be an integer from 1 to 1000')
    .max(1000, 'must be an integer from 1 to 1000')
    .nullable(),
  /** A condition (libs/conditions) an event must match to be delivered; null = every subscribed event. Checked in full by the use cases. */
  filter: z
    .record(z.string(), z.unknown(), {
      error: 'must be a condition: { all: [...] }, { any: [...] }, { not: {...} }, { path, op, value }, { jsonLogic: {...} }, or null',
    })
    .nullable()
    .meta({ description: 'only events matching this condition are delivered (README, "Endpoint filters"); null: every subscribed event' }),
};

const TELEGRAM_BOT_TOKEN = z
  .string('must be a Telegram bot token')
  .regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a Telegram bot token ("123456:ABC…", as BotFather gives it)');
const TELEGRAM_CHAT_ID = z
  .string('must be a Telegram chat id')
  .regex(/^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$/, 'must be a numeric chat id or an @channelusername');

/**
 * What makes a new endpoint a chat endpoint (README, "Chat outputs"): the tool;
 * for Telegram the bot token and chat id (Hookline posts to the Bot API's
 * `sendMessage`), for the others the incoming-webhook URL given as `url`; and
 * the message template used when an event reaches it without one of its own.
 */
export const ChatInputSchema = z
  .object({
    tool: z.enum(CHAT_TOOLS, { error: `must be one of ${CHAT_TOOLS.join(', ')}` }),
    botToken: TELEGRAM_BOT_TOKEN.optional(),
    chatId: TELEGRAM_CHAT_ID.optional(),
    template: ChatTemplateSchema.nullable().default(null),
  })
  .strict();
export type ChatInput = z.infer<typeof ChatInputSchema>;

/** A change to a chat endpoint's settings; the tool is fixed (a new tool is a new endpoint). */
export const ChatChangeSchema = z
  .object({ botToken: TELEGRAM_BOT_TOKEN, chatId: TELEGRAM_CHAT_ID, template: ChatTemplateSchema.nullable() })
  .partial()
  .strict();
export type ChatChange = z.infer<typeof ChatChangeSchema>;

export const CreateEndpointSchema = z
  .object({
    url: EndpointFields.url.optional(),
    description: EndpointFields.description.default(''),
    /** A webhook endpoint's default is every event type ("*"); a chat endpoint's is none (it takes messages from rules). */
    eventTypes: EndpointFields.eventTypes.optional(),
    headers: EndpointFields.headers.default({}),
    enabled: EndpointFields.enabled.default(true),
    timeoutMs: EndpointFields.timeoutMs.default(10_000),
    signatureSchemes: EndpointFields.signatureSchemes.default(['v1']),
    retryPolicy: EndpointFields.retryPolicy.default(null),
    rateLimit: EndpointFields.rateLimit.default(null),
    maxInFlight: EndpointFields.maxInFlight.default(null),
    disableAfterFailures: EndpointFields.disableAfterFailures.default(10),
    filter: EndpointFields.filter.default(null),
    chat: ChatInputSchema.nullable().default(null),
  })
  .strict()
  .superRefine((e, ctx) => {
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (e.chat?.tool === 'telegram') {
      if (e.url !== undefined) issue(['url'], 'must be left out for Telegram: Hookline posts to the Bot API with chat.botToken');
      if (e.chat.botToken === undefined) issue(['chat', 'botToken'], 'is required for Telegram');
      if (e.chat.chatId === undefined) issue(['chat', 'chatId'], 'is required for Telegram');
      return;
    }
    if (e.url === undefined) issue(['url'], e.chat ? `is required: the ${e.chat.tool} incoming-webhook URL` : 'is required');
    if (e.chat && (e.chat.botToken !== undefined || e.chat.chatId !== undefined)) issue(['chat'], 'botToken and chatId are for Telegram only');
    if (!e.chat && e.eventTypes?.length === 0) issue(['eventTypes'], 'must list at least one event type (use "*" for all)');
  });
export type CreateEndpoint = z.infer<typeof CreateEndpointSchema>;

export const UpdateEndpointSchema = z
  .object({ ...EndpointFields, chat: ChatChangeSchema })
  .partial()
  .strict();
export type UpdateEndpoint = z.infer<typeof UpdateEndpointSchema>;

export const TenantParam = z.object({ tenantId: TenantIdSchema });

/** An endpoint's path, as the OpenAPI document describes it (`endpointParams` reads it: a malformed id is a 404). */
export const EndpointPath = z.object({ tenantId: TenantIdSchema, id: EndpointIdSchema });

/**
 * The tenant and endpoint of a path: a bad tenant id is a 400 naming the
 * field; a string that is no endpoint id names no endpoint, so it is a 404.
 */
export function endpointParams(params: unknown): { tenantId: TenantId; id: EndpointId } {
  const { tenantId } = parseRequest(TenantParam, params);
  const raw = (params as { id?: unknown }).id;
  const id = EndpointIdSchema.safeParse(raw);
  if (!id.success) throw notFound(`endpoint ${String(raw)}`);
  return { tenantId, id: id.data };
}

export const RotateSecretSchema = z
  .object({ overlapHours: z.number('must be a number').min(0, 'must be 0-168 hours').max(168, 'must be 0-168 hours').default(24) })
  .strict();

export const ListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
  cursor: z.string().optional().meta({ description: 'the `nextCursor` of the previous page' }),
});

/** The public shape of an endpoint: secrets and private keys are never part of it; public keys are. */
export const EndpointViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  signatureSchemes: z.array(z.enum(SIGNATURE_SCHEMES)),
  headers: z.record(z.string(), z.string()),
  enabled: z.boolean(),
  timeoutMs: z.number().int(),
  disableAfterFailures: z.number().int(),
  state: z.object({
    state: EndpointStateSchema,
    cause: StateChangeCauseSchema.nullable().meta({ description: 'operator, gone (a 410 answer) or failure_threshold; null until the state first changed' }),
    actor: z.string().nullable().meta({ description: 'the API key that changed it (`bootstrap` for the admin token); null when Hookline did' }),
    reason: z.string().nullable(),
    changedAt: z.string().nullable(),
  }),
  retryPolicy: RetryPolicyViewSchema,
  rateLimit: z.object({ perSecond: z.number(), burst: z.number().int() }).nullable(),
  maxInFlight: z.number().int().nullable(),
  filter: z.record(z.string(), z.unknown()).nullable(),
  chat: z
    .object({ tool: z.enum(CHAT_TOOLS), telegramChatId: z.string().nullable(), template: z.record(z.string(), z.unknown()).nullable() })
    .nullable()
    .meta({
      description:
        'a chat endpoint’s tool, Telegram chat and message template (its URL, which holds the tool’s token, is never shown; `url` is masked); null for a webhook endpoint',
    }),
  signingKeys: z.array(SigningKeyViewSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EndpointView = z.output<typeof EndpointViewSchema>;

export const EndpointPageSchema = pageOf(EndpointViewSchema);

/** The endpoint with its newest signing secret, as creation and rotation answer (the one time a secret is in an answer besides `GET …/secret`). */
export const EndpointWithSecretSchema = EndpointViewSchema.extend({ secret: z.string().meta({ description: 'whsec_…: what a receiver verifies with' }) });
export const RotatedEndpointSchema = EndpointWithSecretSchema.extend({ previousSecretsExpireAt: z.string() });
export const EndpointSecretsSchema = z.object({
  secret: z.string(),
  secrets: z.array(z.string()),
  previousSecretsExpireAt: z.string().nullable().meta({ description: 'during a rotation, when the older secrets stop signing; null when one secret signs' }),
});

export function toEndpointView(e: EndpointEntity): EndpointView {
  return {
    ...endpointSettings(e),
    chat: chatSettings(e),
    state: { state: e.state, cause: e.stateCause, actor: e.stateActor, reason: e.stateReason, changedAt: e.stateChangedAt?.toISOString() ?? null },
    retryPolicy: retryPolicyView(e.retryPolicy ?? null),
    signingKeys: e.signingKeys.map(toSigningKeyView),
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** The optional body of `POST …/endpoints/:id/pause|resume|disable|enable`. */
export const StateChangeSchema = z
  .object({ reason: z.string('must be a string').min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional() })
  .strict();
