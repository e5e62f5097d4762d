import { checkOpenApi, freshDatabase, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startIngest } from './ingest.fixtures';

/** ingest's OpenAPI document (`/docs`) against the routes it really serves. */
describe('ingest OpenAPI document', () => {
  const database = freshDatabase();
  let api: InProcessService;
  beforeAll(async () => {
    const token = `admin-token-${randomBytes(8).toString('hex')}`;
    api = await startIngest(database.url, token);
  }, 60_000);
  afterAll(() => api?.close());

  it('documents every route it serves and nothing it does not, as a valid OpenAPI 3.1 document', async () => {
    const { document, undocumented, unserved, invalid } = await checkOpenApi(api);
    expect(undocumented).toEqual([]);
    expect(unserved).toEqual([]);
    expect(invalid).toEqual([]);
    expect(document.paths['/v1/events'].post['x-hookline-scope']).toBe('events:write');
    expect(Object.keys(document.paths['/v1/events/batch'].post.responses ?? {}).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '422',
      '503',
    ]);
  });
});
