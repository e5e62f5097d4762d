import type { TenantId } from '@hookline/contracts';
import { CreateEndpoint } from '../create-endpoint/create-endpoint.usecase';
import { CreateEndpointSchema, UpdateEndpointSchema } from '../endpoint.dto';
import { fixedClock, httpsOnly, InMemoryEndpoints, ReadableSealing, RecordingPublication } from '../endpoint.fakes';
import { UpdateEndpoint } from './update-endpoint.usecase';

const acme = 'acme' as TenantId;
const chatSettings = { telegramApiUrl: 'https://api.telegram.org' };
const noConditions = { check: async () => null };
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function setup() {
  const endpoints = new InMemoryEndpoints();
  const publication = new RecordingPublication();
  const sealing = new ReadableSealing();
  const create = new CreateEndpoint(endpoints, publication, sealing, httpsOnly, fixedClock('2026-11-22T10:00:00Z'), noConditions, chatSettings);
  const states = { execute: async () => undefined };
  const update = new UpdateEndpoint(endpoints, publication, sealing, httpsOnly, states, noConditions, chatSettings);
  const change = (id: string, body: unknown) => update.execute(acme, id as never, UpdateEndpointSchema.parse(body));
  return { endpoints, create, change };
}

describe('UpdateEndpoint on chat endpoints', () => {
  it('seals a new webhook URL of a chat endpoint and keeps its tool and template', async () => {
    const { create, change, endpoints } = setup();
    const template = { text: '{{ type }}', fields: [] };
    const { endpoint } = await create.execute(
      acme,
      CreateEndpointSchema.parse({ url: 'https://discord.com/api/webhooks/1/old', chat: { tool: 'discord', template } }),
    );
    await change(endpoint.id, { url: 'https://discord.com/api/webhooks/2/new' });
    const row = endpoints.rows.get(endpoint.id)!;
    expect(row.url).toBe('https://discord.com/…');
    expect(row.chat).toEqual({
      tool: 'discord',
      url: `sealed-url(acme/${endpoint.id}):https://discord.com/api/webhooks/2/new`,
      telegramChatId: null,
      template,
    });
  });

  it('changes a Telegram endpoint’s chat and bot token, and its template alone', async () => {
    const { create, change, endpoints } = setup();
    const { endpoint } = await create.execute(acme, CreateEndpointSchema.parse({ chat: { tool: 'telegram', botToken: TOKEN, chatId: '42' } }));
    await change(endpoint.id, { chat: { chatId: '@ops_alerts', botToken: `9${TOKEN}` } });
    expect(endpoints.rows.get(endpoint.id)!.chat).toMatchObject({
      url: `sealed-url(acme/${endpoint.id}):https://api.telegram.org/bot9${TOKEN}/sendMessage`,
      telegramChatId: '@ops_alerts',
    });
    await change(endpoint.id, { chat: { template: { text: 'new', fields: [] } } });
    expect(endpoints.rows.get(endpoint.id)!.chat).toMatchObject({ telegramChatId: '@ops_alerts', template: { text: 'new', fields: [] } });
  });

  it.each([
    ['a url for Telegram', { url: 'https://example.com/x' }, 'url'],
    ['a bot token for Slack', { chat: { botToken: TOKEN } }, 'chat'],
  ])('refuses %s, naming the field', async (_what, body, field) => {
    const { create, change } = setup();
    const telegram = (await create.execute(acme, CreateEndpointSchema.parse({ chat: { tool: 'telegram', botToken: TOKEN, chatId: '42' } }))).endpoint;
    const slack = (await create.execute(acme, CreateEndpointSchema.parse({ url: 'https://hooks.slack.com/services/a', chat: { tool: 'slack' } }))).endpoint;
    const refused = await change(field === 'url' ? telegram.id : slack.id, body).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, issues: [expect.objectContaining({ field })] });
  });

  it('refuses chat settings on a webhook endpoint, and an empty event type list', async () => {
    const { create, change } = setup();
    const { endpoint } = await create.execute(acme, CreateEndpointSchema.parse({ url: 'https://hooks.example.com/in' }));
    expect(await change(endpoint.id, { chat: { template: null } }).catch((e: unknown) => e)).toMatchObject({
      status: 400,
      issues: [expect.objectContaining({ field: 'chat' })],
    });
    expect(await change(endpoint.id, { eventTypes: [] }).catch((e: unknown) => e)).toMatchObject({
      status: 400,
      issues: [{ field: 'eventTypes', rule: 'must list at least one event type (use "*" for all)' }],
    });
  });
});
