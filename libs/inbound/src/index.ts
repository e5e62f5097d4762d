/**
 * @hookline/inbound: receiving providers' webhooks. Each provider module
 * verifies a callback from its raw bytes exactly as the provider documents it
 * and turns it into Hookline events; `PROVIDERS` names them all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { InboundProvider, ProviderKind } from './provider';
import { awsSns } from './providers/aws-sns';
import { awsSnsKinds } from './providers/aws-sns-kinds';
import { genericHmac } from './providers/generic-hmac';
import { github, githubKinds } from './providers/github';
import { gupshup, gupshupKinds } from './providers/gupshup';
import { messagebird, messagebirdKinds } from './providers/messagebird';
import { metaWhatsapp, metaWhatsappKinds } from './providers/meta-whatsapp';
import { plivo, plivoKinds } from './providers/plivo';
import { sendgrid, sendgridKinds } from './providers/sendgrid';
import { standardWebhooks } from './providers/standard-webhooks';
import { stripe, stripeKinds } from './providers/stripe';
import { twilio, twilioKinds } from './providers/twilio';
import { vonage, vonageKinds } from './providers/vonage';

export * from './provider';
export { GenericHmacOptions } from './providers/generic-hmac';

/** Every provider a source can be, by name. */
export const PROVIDERS: Readonly<Record<string, InboundProvider>> = Object.fromEntries(
  [stripe, github, twilio, sendgrid, metaWhatsapp, messagebird, awsSns, gupshup, vonage, plivo, standardWebhooks, genericHmac].map((p) => [p.name, p]),
);

/** The common kinds of each provider's callbacks, by provider name. */
export const PROVIDER_KINDS: Readonly<Record<string, readonly ProviderKind[]>> = {
  stripe: stripeKinds,
  github: githubKinds,
  twilio: twilioKinds,
  sendgrid: sendgridKinds,
  meta_whatsapp: metaWhatsappKinds,
  messagebird: messagebirdKinds,
  aws_sns: awsSnsKinds,
  gupshup: gupshupKinds,
  vonage: vonageKinds,
  plivo: plivoKinds,
};
export const PROVIDER_NAMES = Object.keys(PROVIDERS);

/**
 * The associated data a source's secret is sealed with: purpose, tenant and
 * source, so a sealed secret moved to another row does not open.
 */
export function sourceSecretContext(tenantId: string, sourceId: string): string {
  return JSON.stringify(['hookline.inbound-source-secret.v1', tenantId, sourceId]);
}

/**
 * The Hookline event id of a callback's event: derived from the source and the
 * provider's own id, so a provider's retry (the same id) is deduplicated by
 * ingest, and two sources' ids never collide; a fresh one when the provider
 * gives none.
 */
export function inboundEventId(sourceId: string, providerId: string | undefined): string {
  if (providerId === undefined) return `in_${randomUUID().replace(/-/g, '')}`;
  return `in_${createHash('sha256').update(`${sourceId}\n${providerId}`).digest('hex').slice(0, 40)}`;
}
