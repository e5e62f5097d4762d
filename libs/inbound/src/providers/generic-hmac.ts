import { z } from 'zod';
import { hmac, jsonObject, kindOf, safeEqual, withinTolerance } from '../crypto';
import { refuse, type InboundProvider, type Verdict } from '../provider';

const HEADER = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name');

/**
 * A provider Hookline has no module for, described by its settings:
 * `signatureHeader` holds `prefix` + the HMAC (`algorithm`, `encoding`) of
 * `signedContent`, a template of `{body}`, `{timestamp}`, `{url}` and `{id}`
 * (the values of `body`, `timestampHeader`, the request URL and `idHeader`).
 * With a `timestampHeader` (Unix seconds, which `signedContent` must then
 * include), an authentic request outside `toleranceSeconds` is refused; `idHeader` (or the body's `idField`) names
 * the event for deduplication, `typeField` its kind.
 */
export const GenericHmacOptions = z
  .object({
    signatureHeader: HEADER,
    algorithm: z.enum(['sha1', 'sha256', 'sha512'], { error: 'must be sha1, sha256 or sha512' }).default('sha256'),
    encoding: z.enum(['hex', 'base64'], { error: 'must be hex or base64' }).default('hex'),
    prefix: z.string().max(32, 'must be at most 32 characters').default(''),
    signedContent: z
      .string()
      .min(1)
      .max(200, 'must be at most 200 characters')
      .refine((t) => t.includes('{body}'), 'must include {body}')
      .refine((t) => !/\{(?!body\}|timestamp\}|url\}|id\})[^}]*\}/.test(t), 'may use only {body}, {timestamp}, {url} and {id}')
      .default('{body}'),
    timestampHeader: HEADER.optional(),
    toleranceSeconds: z.number().int().min(1, 'must be 1-86400 s').max(86_400, 'must be 1-86400 s').default(300),
    idHeader: HEADER.optional(),
    idField: z.string().max(100).optional(),
    typeField: z.string().max(100).optional(),
  })
  .strict()
  .refine((o) => !o.signedContent.includes('{timestamp}') || o.timestampHeader !== undefined, {
    message: 'uses {timestamp}, so timestampHeader is required',
    path: ['signedContent'],
  })
  // A timestamp the signature does not cover could be refreshed by anyone replaying a captured request.
  .refine((o) => o.timestampHeader === undefined || o.signedContent.includes('{timestamp}'), {
    message: 'must include {timestamp} when timestampHeader is set: an unsigned timestamp proves nothing',
    path: ['signedContent'],
  })
  .refine((o) => !o.signedContent.includes('{id}') || o.idHeader !== undefined, { message: 'uses {id}, so idHeader is required', path: ['signedContent'] });
export type GenericHmacOptions = z.infer<typeof GenericHmacOptions>;

const at = (subject: unknown, path: string | undefined) =>
  path?.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), subject);

export const genericHmac: InboundProvider = {
  name: 'generic_hmac',
  keys: 'secret',
  parseOptions: (options) => GenericHmacOptions.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'callbacks are POSTs');
    // Never an HMAC under an empty key: anyone could make one.
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no secret to verify with');
    const o = GenericHmacOptions.parse(keys.options);
    const given = request.headers[o.signatureHeader.toLowerCase()];
    if (!given) return refuse(401, 'missing_signature', `no ${o.signatureHeader} header`);
    const timestamp = o.timestampHeader ? request.headers[o.timestampHeader.toLowerCase()] : undefined;
    if (o.timestampHeader && (!timestamp || !/^[0-9]{1,12}$/.test(timestamp)))
      return refuse(401, 'missing_signature', `no Unix-seconds ${o.timestampHeader} header`);
    const id = o.idHeader ? request.headers[o.idHeader.toLowerCase()] : undefined;
    // The template is split around {body} so the raw bytes are signed as they came, never re-decoded.
    const [before, after] = o.signedContent.split('{body}', 2);
    const fill = (part: string) => part.replace(/\{(timestamp|url|id)\}/g, (_m, name: string) => ({ timestamp, url: request.url, id })[name] ?? '');
    const content = Buffer.concat([Buffer.from(fill(before)), request.rawBody, Buffer.from(fill(after ?? ''))]);
    const expected = o.prefix + hmac(o.algorithm, keys.secret, content, o.encoding);
    if (!safeEqual(given.trim(), expected)) return refuse(401, 'bad_signature', `${o.signatureHeader} does not match`);
    // After the signature, so `stale_timestamp` only ever names an authentic request that is too old.
    if (o.timestampHeader && !withinTolerance(Number(timestamp), request.receivedAt, o.toleranceSeconds))
      return refuse(401, 'stale_timestamp', `${o.timestampHeader} is more than ${o.toleranceSeconds} s from now`);
    const data = jsonObject(request.rawBody);
    if (!data) return refuse(400, 'malformed', 'the body is not a JSON object');
    const type = at(data, o.typeField);
    const ownId = id ?? at(data, o.idField);
    return {
      kind: 'accepted',
      events: [{ kind: typeof type === 'string' && kindOf(type) ? kindOf(type) : 'event', ...(typeof ownId === 'string' && ownId ? { id: ownId } : {}), data }],
    };
  },
};
