import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { EndpointPath } from '../endpoints/endpoint.dto';
import { CreateSigningKeySchema, SigningKeyViewSchema } from './signing-key.dto';

const tag = 'Signing keys';
export const SigningKeyPath = EndpointPath.extend({ keyId: z.string() });

/** The OpenAPI description of an endpoint's key pairs (`ed25519`, `rsa-sha256` schemes). */
export const SigningKeyDocs = {
  create: {
    tag,
    summary: 'Add a signing key pair',
    description: 'Generates a key pair; it signs from now on, beside the others of its algorithm (rotation is add, then delete). Answers the public half only.',
    params: EndpointPath,
    body: CreateSigningKeySchema,
    bodyExample: { algorithm: 'ed25519' },
    responses: { 201: { description: 'the public key', schema: SigningKeyViewSchema } },
    errors: { 422: 'the endpoint already holds the most keys of that algorithm (4)' },
  },
  list: {
    tag,
    summary: "List an endpoint's public keys",
    params: EndpointPath,
    responses: { 200: { description: 'the public keys', schema: z.object({ data: z.array(SigningKeyViewSchema) }) } },
  },
  remove: {
    tag,
    summary: 'Delete a signing key pair',
    params: SigningKeyPath,
    responses: { 204: { description: 'deleted; it signs no more' } },
    errors: { 409: 'the key is the last one of a scheme the endpoint signs with' },
  },
} satisfies Record<string, RouteDoc>;
