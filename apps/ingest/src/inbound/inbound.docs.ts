import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';

const tag = 'Inbound webhooks';
const SourcePath = z.object({ sourceId: z.string().meta({ description: 'the inbound source’s id (its `path` in admin-api)' }) });
const Answer = z.unknown().meta({ description: 'what the provider expects: `{"received":true}`, empty TwiML for Twilio, the challenge for a handshake' });

/** The OpenAPI description of the inbound routes (README, "Inbound webhooks"). */
export const InboundDocs = {
  receive: {
    tag,
    summary: 'Receive a provider’s callback',
    description:
      'Called by the provider, not with an API key: the source’s provider module verifies the request from its raw body (any content type, at most 1 MiB) with the source’s secret or key, and each callback it carries becomes an event `<eventTypePrefix>.<kind>`. Answered once the events are on Kafka. Every request is written to the source’s inbound log.',
    params: SourcePath,
    body: z.unknown().meta({ description: 'the provider’s payload, as it sent it (JSON, form, …)' }),
    bodyRequired: false,
    responses: { 200: { description: 'accepted (or a handshake answered)', schema: Answer } },
    errors: {
      401: 'the signature is missing or wrong, or its timestamp is outside the provider’s tolerance',
      403: 'a handshake with the wrong verify token',
      404: 'no such source',
      405: 'a method the provider does not use',
      410: 'the source is disabled',
      413: 'a body over 1 MiB',
    },
  },
  handshake: {
    tag,
    summary: 'Answer a provider’s verification handshake',
    description: 'The GET some providers send when a URL is registered (Meta’s `hub.challenge`): answered as the provider expects.',
    params: SourcePath,
    responses: { 200: { description: 'the handshake’s answer (Meta: the challenge, as text)', schema: Answer } },
    errors: { 403: 'the wrong verify token', 404: 'no such source', 405: 'the provider has no GET handshake', 410: 'the source is disabled' },
  },
} satisfies Record<string, RouteDoc>;
