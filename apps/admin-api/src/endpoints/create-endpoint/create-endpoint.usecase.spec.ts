import type { TenantId } from '@hookline/contracts';
import { ApiError } from '@hookline/service-kit';
import { CreateEndpointSchema } from '../endpoint.dto';
import { fixedClock, httpsOnly, InMemoryEndpoints, ReadableSealing, RecordingPublication } from '../endpoint.fakes';
import { CreateEndpoint } from './create-endpoint.usecase';

const acme = 'acme' as TenantId;
const input = (fields: Record<string, unknown>) => CreateEndpointSchema.parse({ url: 'https://hooks.example.com/in', ...fields });

function setup() {
  const endpoints = new InMemoryEndpoints();
  const publication = new RecordingPublication();
  const useCase = new CreateEndpoint(
    endpoints,
    publication,
    new ReadableSealing(),
    httpsOnly,
    fixedClock('2026-11-22T10:00:00Z'),
    {
      check: async () => null,
    },
    { telegramApiUrl: 'https://api.telegram.org' },
  );
  return { endpoints, publication, useCase };
}

describe(CreateEndpoint.name, () => {
  it('saves the endpoint at version 1 with its secret sealed, publishes it and returns the secret in clear', async () => {
    const { endpoints, publication, useCase } = setup();
    const { endpoint, secret } = await useCase.execute(acme, input({ eventTypes: ['invoice.*'] }));
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const row = endpoints.rows.get(endpoint.id)!;
    expect(row).toMatchObject({
      tenantId: 'acme',
      url: 'https://hooks.example.com/in',
      eventTypes: ['invoice.*'],
      version: 1,
      publishedVersion: 0,
      signatureSchemes: ['v1'],
    });
    expect(row.secrets).toEqual([{ secret: `sealed(acme/${endpoint.id}):${secret}`, createdAt: '2026-11-22T10:00:00.000Z', expiresAt: null }]);
    expect(row.signingKeys).toEqual([]);
    expect(publication.published).toEqual([endpoint.id]);
  });

  it('generates a key pair for each key-pair scheme chosen, sealed', async () => {
    const { endpoints, useCase } = setup();
    const { endpoint } = await useCase.execute(acme, input({ signatureSchemes: ['v1', 'ed25519'] }));
    const [key] = endpoints.rows.get(endpoint.id)!.signingKeys;
    expect(key).toMatchObject({
      algorithm: 'ed25519',
      publicKey: expect.stringMatching(/^whpk_/),
      privateKey: expect.stringMatching(new RegExp(`^sealed-key\\(acme/${endpoint.id}\\)`)),
    });
  });

  it('refuses a URL Hookline must never call with 422 target_refused, and saves nothing', async () => {
    const { endpoints, publication, useCase } = setup();
    const refused = await useCase.execute(acme, input({ url: 'https://db.example.internal/hook' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 422, code: 'target_refused', issues: [{ field: 'url', rule: 'must be a public https URL' }] });
    expect(endpoints.rows.size).toBe(0);
    expect(publication.published).toEqual([]);
  });

  it('gives every endpoint its own id and secret', async () => {
    const { useCase } = setup();
    const [a, b] = [await useCase.execute(acme, input({})), await useCase.execute(acme, input({}))];
    expect(a.endpoint.id).not.toBe(b.endpoint.id);
    expect(a.secret).not.toBe(b.secret);
  });

  describe('a chat endpoint', () => {
    const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
    const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

    it('seals the webhook URL (it holds the token), shows its origin only, and subscribes to nothing unless told', async () => {
      const { endpoints, useCase } = setup();
      const { endpoint } = await useCase.execute(acme, CreateEndpointSchema.parse({ url: SLACK, chat: { tool: 'slack' } }));
      const row = endpoints.rows.get(endpoint.id)!;
      expect(row.url).toBe('https://hooks.slack.com/…');
      expect(row.eventTypes).toEqual([]);
      expect(row.chat).toEqual({ tool: 'slack', url: `sealed-url(acme/${endpoint.id}):${SLACK}`, telegramChatId: null, template: null });
    });

    it('posts Telegram messages to the Bot API sendMessage URL of the bot token, sealed', async () => {
      const { endpoints, useCase } = setup();
      const { endpoint } = await useCase.execute(acme, CreateEndpointSchema.parse({ chat: { tool: 'telegram', botToken: TOKEN, chatId: '-1001234567890' } }));
      const row = endpoints.rows.get(endpoint.id)!;
      expect(row.url).toBe('https://api.telegram.org/…');
      expect(row.chat).toMatchObject({
        url: `sealed-url(acme/${endpoint.id}):https://api.telegram.org/bot${TOKEN}/sendMessage`,
        telegramChatId: '-1001234567890',
      });
    });

    it('refuses a chat URL Hookline must never call, naming url', async () => {
      const { endpoints, useCase } = setup();
      const refused = await useCase
        .execute(acme, CreateEndpointSchema.parse({ url: 'https://chat.example.internal/hook', chat: { tool: 'discord' } }))
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ status: 422, code: 'target_refused', issues: [{ field: 'url', rule: 'must be a public https URL' }] });
      expect(endpoints.rows.size).toBe(0);
    });

    it.each([
      [{ chat: { tool: 'slack' } }, 'url', 'is required: the slack incoming-webhook URL'],
      [{ chat: { tool: 'telegram', chatId: '@alerts_channel' } }, 'chat.botToken', 'is required for Telegram'],
      [{ chat: { tool: 'telegram', botToken: TOKEN } }, 'chat.chatId', 'is required for Telegram'],
      [{ url: SLACK, chat: { tool: 'telegram', botToken: TOKEN, chatId: '42' } }, 'url', expect.stringContaining('must be left out for Telegram')],
      [{ url: SLACK, chat: { tool: 'slack', chatId: '42' } }, 'chat', 'botToken and chatId are for Telegram only'],
      [{ url: SLACK, chat: { tool: 'irc' } }, 'chat.tool', expect.stringContaining('must be one of slack, teams')],
      [{ chat: { tool: 'telegram', botToken: 'not-a-token', chatId: '42' } }, 'chat.botToken', expect.stringContaining('Telegram bot token')],
      [{ url: SLACK, chat: { tool: 'slack', template: { title: 'no text' } } }, 'chat.template.text', expect.any(String)],
      [{ url: SLACK, eventTypes: [] }, 'eventTypes', 'must list at least one event type (use "*" for all)'],
    ])('refuses %j naming %s', (body, field, rule) => {
      const parsed = CreateEndpointSchema.safeParse(body);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => ({ field: i.path.join('.'), rule: i.message }))).toContainEqual({ field, rule });
    });
  });
});
