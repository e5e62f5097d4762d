import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { InProcessService } from './service-in-process';

/**
 * Validates with the OpenAPI Initiative's JSON Schema for 3.1, through
 * @seriousme/openapi-schema-validator. The package is an ES module, which
 * Jest's CommonJS runtime cannot load, so it runs in a node of its own.
 */
async function openApiErrors(document: unknown): Promise<string[]> {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify(result.valid ? [] : [].concat(result.errors)));`;
  const child = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: __dirname });
  child.child.stdin?.end(JSON.stringify(document));
  const { stdout } = await child;
  return (JSON.parse(stdout) as unknown[]).map((e) => JSON.stringify(e));
}

/** An OpenAPI document as served at `/docs/openapi.json`: only what the checks read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown>; security?: unknown[]; 'x-hookline-scope'?: string }>>;
}

const asOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The service's own document, checked against the served routes: the routes
 * Express serves that the document lacks (`/docs` itself aside), the operations
 * it lists that nothing serves, and whether it is a valid OpenAPI 3.1 document
 * (the OpenAPI Initiative's JSON Schema for 3.1).
 */
export async function checkOpenApi(
  service: InProcessService,
): Promise<{ document: OpenApiDocument; undocumented: string[]; unserved: string[]; invalid: string[] }> {
  const { status, body } = await service.call<OpenApiDocument>('GET', '/docs/openapi.json');
  if (status !== 200) throw new Error(`GET /docs/openapi.json answered ${status}`);
  const served = new Set(
    service
      .servedRoutes()
      // A wildcard route is middleware Nest mounted for every path (idempotency), not a route of its own.
      // /docs and /console are pages, not API.
      .filter((r) => !r.path.startsWith('/docs') && !r.path.startsWith('/console') && !r.path.includes('*'))
      .map((r) => `${r.method} ${asOpenApiPath(r.path)}`),
  );
  const documented = new Set(Object.entries(body.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)));
  return {
    document: body,
    undocumented: [...served].filter((r) => !documented.has(r)).sort(),
    unserved: [...documented].filter((r) => !served.has(r)).sort(),
    invalid: await openApiErrors(body),
  };
}
