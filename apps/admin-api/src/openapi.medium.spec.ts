import { checkOpenApi, freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startAdminApi } from './admin-api.fixtures';

/** admin-api's OpenAPI document (`/docs`) against the routes it really serves. */
describe('admin-api OpenAPI document', () => {
  const database = freshDatabase();
  let api: InProcessService;
  beforeAll(async () => {
    api = await startAdminApi(database.url, `admin-token-${randomBytes(8).toString('hex')}`);
  }, 60_000);
  afterAll(() => api?.close());

  it('documents every route it serves and nothing it does not, as a valid OpenAPI 3.1 document', async () => {
    const { document, undocumented, unserved, invalid } = await checkOpenApi(api);
    expect(undocumented).toEqual([]);
    expect(unserved).toEqual([]);
    expect(invalid).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).length).toBeGreaterThan(8);
  });

  it('names the scope of every route that takes an API key, and the error answers of each', async () => {
    const { document } = await checkOpenApi(api);
    const endpoints = document.paths['/v1/tenants/{tenantId}/endpoints'];
    expect(endpoints.post['x-hookline-scope']).toBe('endpoints:write');
    expect(Object.keys(endpoints.post.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422', '503']);
    expect(document.paths['/v1/deliveries'].get['x-hookline-scope']).toBe('deliveries:read');
    for (const [path, operations] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(operations)) {
        expect({ route: `${method} ${path}`, summary: typeof operation.summary }).toEqual({ route: `${method} ${path}`, summary: 'string' });
        const public_ = path.startsWith('/health') || path === '/metrics';
        expect({ route: `${method} ${path}`, scoped: operation['x-hookline-scope'] !== undefined }).toEqual({ route: `${method} ${path}`, scoped: !public_ });
      }
  });

  it('is the document the console is typed from (apps/console/openapi/admin-api.json; HOOKLINE_WRITE_OPENAPI=1 rewrites it)', async () => {
    const { document } = await checkOpenApi(api);
    const copy = join(__dirname, '..', '..', 'console', 'openapi', 'admin-api.json');
    if (process.env.HOOKLINE_WRITE_OPENAPI === '1') {
      mkdirSync(dirname(copy), { recursive: true });
      writeFileSync(copy, `${JSON.stringify(document, null, 2)}\n`);
    }
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(document);
  });

  it('serves a page that reads the document, and the page’s assets from the installed Swagger UI', async () => {
    const page = await fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/docs/openapi.json');
    const bundle = await fetch(`${api.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${api.url}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
