import { freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminApi } from '../admin-api.fixtures';
import { CONSOLE_CSP } from './console.controller';

/** `/console`: the built console's files, under a strict Content-Security-Policy, with the app's own routes falling back to index.html. */
describe('admin-api serving the console', () => {
  const database = freshDatabase();
  const built = mkdtempSync(join(tmpdir(), 'hookline-console-'));
  const missing = join(tmpdir(), `hookline-console-missing-${randomBytes(4).toString('hex')}`);
  let api: InProcessService;
  let unbuilt: InProcessService;

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b.js"></script>');
    writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log("app")');
    writeFileSync(join(built, '.secret'), 'not served');
    writeFileSync(join(tmpdir(), 'hookline-outside.txt'), 'outside');
    const token = `admin-token-${randomBytes(8).toString('hex')}`;
    [api, unbuilt] = await Promise.all([
      startAdminApi(database.url, token, { HOOKLINE_CONSOLE_DIR: built }),
      startAdminApi(database.url, token, { HOOKLINE_CONSOLE_DIR: missing }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([api?.close(), unbuilt?.close()]);
    rmSync(built, { recursive: true, force: true });
  });

  const get = (service: InProcessService, path: string) => fetch(`${service.url}${path}`);

  it('serves index.html under the strict policy, never cached', async () => {
    const page = await get(api, '/console');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(CONSOLE_CSP).not.toContain('unsafe-eval');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the app’s own routes with index.html, so a reload on /console/endpoints/… works', async () => {
    for (const path of ['/console/', '/console/endpoints', '/console/deliveries/dlv_1?status=failed']) {
      const page = await get(api, path);
      expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
      expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    }
  });

  it('serves hashed assets for good, and 404s an asset that is not there instead of index.html', async () => {
    const asset = await get(api, '/console/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get(api, '/console/assets/app-0000.js')).status).toBe(404);
  });

  it('serves nothing outside the build, nor its dotfiles', async () => {
    for (const path of ['/console/assets/..%2F..%2Fhookline-outside.txt', '/console/..%2Fhookline-outside.txt', '/console/.secret']) {
      const answer = await get(api, path);
      const body = await answer.text();
      expect({ path, leaked: body.includes('outside') || body.includes('not served') }).toEqual({ path, leaked: false });
    }
  });

  it('says how to build the console when it is not built', async () => {
    const page = await get(unbuilt, '/console');
    expect(page.status).toBe(503);
    expect(await page.json()).toEqual({ error: 'console_not_built', message: expect.stringContaining('npm run build') });
  });
});
