import { scanJson } from '@hookline/contracts';
import { decode } from 'iconv-lite';
import { validationFailed } from './api-error';

/**
 * The JSON body parser's `verify` hook: refuses, before `JSON.parse`, a body
 * nested deeper than `MAX_JSON_DEPTH` or holding a number parsing would
 * change, with a 400 naming the field and the rule (a deep body would
 * otherwise exhaust the stack further on and answer 500). The body is decoded
 * as the parser itself decodes it (iconv-lite, the request's charset).
 */
export function refuseUnsafeJson(_req: unknown, _res: unknown, body: Buffer, encoding: string | null): void {
  const issue = scanJson(decode(body, encoding ?? 'utf-8'));
  if (issue) throw validationFailed([issue]);
}
