import type { RouteDoc } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { InboundLogPageSchema, SourceInputSchema, SourceListQuery, SourceParams, SourcePageSchema, SourceViewSchema } from './inbound-source.dto';

const tag = 'Inbound sources';

const example = { provider: 'stripe', name: 'Stripe (live)', secret: 'whsec_…', options: { toleranceSeconds: 300 } };

/** The OpenAPI description of the inbound-source routes (README, "Inbound webhooks"). */
export const InboundSourceDocs = {
  create: {
    tag,
    summary: 'Create an inbound source',
    description:
      'A URL on ingest (`path`) for one provider’s callbacks: each is verified with the provider’s own scheme and the source’s secret or public key, and becomes events `<eventTypePrefix>.<kind>`.',
    params: TenantParam,
    body: SourceInputSchema,
    bodyExample: example,
    responses: { 201: { description: 'the source (its secret is never shown)', schema: SourceViewSchema } },
    errors: { 409: 'the tenant already has a source of that name (`name_taken`)' },
  },
  list: {
    tag,
    summary: "List a tenant's inbound sources",
    params: TenantParam,
    query: SourceListQuery,
    responses: { 200: { description: 'a page of sources, oldest first', schema: SourcePageSchema } },
  },
  get: { tag, summary: 'Get an inbound source', params: SourceParams, responses: { 200: { description: 'the source', schema: SourceViewSchema } } },
  replace: {
    tag,
    summary: 'Replace an inbound source',
    description: 'The whole source, as for creation; a `secret` left out keeps the current one (for the same provider).',
    params: SourceParams,
    body: SourceInputSchema,
    bodyExample: { ...example, enabled: false },
    responses: { 200: { description: 'the source as saved', schema: SourceViewSchema } },
    errors: { 409: 'another source of the tenant has that name' },
  },
  remove: {
    tag,
    summary: 'Delete an inbound source',
    params: SourceParams,
    responses: { 204: { description: 'deleted: its URL answers 404 from now on' } },
  },
  log: {
    tag,
    summary: 'Read an inbound source’s log',
    description: 'Every request to the source, newest first: accepted (with the events it became), handshakes, and refusals with their reason.',
    params: SourceParams,
    query: SourceListQuery,
    responses: { 200: { description: 'a page of the log, newest first', schema: InboundLogPageSchema } },
  },
} satisfies Record<string, RouteDoc>;
