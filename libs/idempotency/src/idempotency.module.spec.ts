import 'reflect-metadata';
import { Controller, Get, type INestApplication, Module, Post, UseInterceptors } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { request } from 'node:http';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyModule } from './idempotency.module';

// Everything here is decided before the store is asked, so the database is a
// stub that fails the test if it is ever queried.
const untouchable = { query: jest.fn(async () => Promise.reject(new Error('the database must not be queried'))) };

@Controller('things')
@UseInterceptors(IdempotencyInterceptor)
class ThingController {
  calls = 0;

  @Post()
  create() {
    return { n: ++this.calls };
  }

  @Get()
  list() {
    return { n: this.calls };
  }
}

// Another module than the one that imports IdempotencyModule, as in a service.
@Module({ controllers: [ThingController] })
class ThingModule {}

describe(IdempotencyModule.name, () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        IdempotencyModule.forRoot({ db: untouchable, scope: (request) => request.headers.authorization as string | undefined, purgeEveryMs: 0 }),
        ThingModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(() => app.close());

  const post = (headers: Record<string, string>) => fetch(`${base}/things`, { method: 'POST', headers });

  // node:http rather than fetch: fetch joins repeated headers into one line and refuses bytes above 0xFF.
  const rawPost = (headers: Record<string, string | string[]>) =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = request(`${base}/things`, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('applies per controller with @UseInterceptors in any module: a bad key gets 400 naming the header', async () => {
    const response = await rawPost({ authorization: 'Bearer t', 'idempotency-key': 'cl\u00e9' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_idempotency_key', issues: [{ field: 'Idempotency-Key', rule: expect.any(String) }] });
  });

  it('lets through, without the database, writes without the header, reads, and callers without a scope', async () => {
    expect((await post({ authorization: 'Bearer t' })).status).toBe(201);
    expect((await fetch(`${base}/things`, { headers: { 'idempotency-key': 'k' } })).status).toBe(200);
    expect((await post({ 'idempotency-key': 'k' })).status).toBe(201);
    expect(untouchable.query).not.toHaveBeenCalled();
  });

  it('refuses the header sent twice rather than reading two keys as one', async () => {
    const response = await rawPost({ authorization: 'Bearer t', 'idempotency-key': ['a', 'b'] });
    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message).toMatch(/send the header once/);
  });
});
