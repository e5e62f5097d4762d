import { createAjv } from '@hookline/catalog';
import { formatChatMessage, renderTemplate, type ChatMessage, type ChatTool } from './index';

const event = {
  id: 'tkt_1002',
  type: 'ticket.created',
  data: {
    subject: 'SSO <fails> & @everyone *now*',
    priority: 'high',
    number: 1002,
    customer: { name: 'Meridian Health', tier: 'platinum' },
    url: 'https://support.example.com/t/1002',
  },
};

const template = {
  title: 'VIP ticket #{{ data.number }}',
  text: '{{data.subject}}',
  fields: [
    { label: 'Customer', value: '{{ data.customer.name }} ({{ data.customer.tier }})' },
    { label: 'Assignee', value: '{{ data.assignee.name }}' },
  ],
  url: '{{ data.url }}',
};

describe('renderTemplate', () => {
  it('fills each placeholder from the event and leaves out what renders empty', () => {
    expect(renderTemplate(template, event)).toEqual({
      title: 'VIP ticket #1002',
      text: 'SSO <fails> & @everyone *now*',
      fields: [{ label: 'Customer', value: 'Meridian Health (platinum)' }],
      url: 'https://support.example.com/t/1002',
    });
    expect(renderTemplate({ text: '{{ data.customer }} / {{ nope.x }} / {{ data.number }}' }, event).text).toBe(
      '{"name":"Meridian Health","tier":"platinum"} /  / 1002',
    );
  });

  it('refuses a template over its bounds', () => {
    expect(() => renderTemplate({ text: 'x'.repeat(2001) }, event)).toThrow(/at most 2000/);
    expect(() => renderTemplate({ text: 'x', fields: Array.from({ length: 11 }, () => ({ label: 'a', value: 'b' })) }, event)).toThrow(/at most 10 fields/);
  });
});

/*
 * Each tool's documented message format, as JSON Schema: the fields it
 * requires and the limits it states. A formatted message must validate.
 */
const FORMATS: Record<ChatTool, object> = {
  // https://api.slack.com/reference/block-kit/blocks: header text plain_text ≤ 150; section text ≤ 3000; ≤ 50 blocks; text is the notification fallback.
  slack: {
    type: 'object',
    required: ['text', 'blocks'],
    properties: {
      text: { type: 'string', minLength: 1 },
      blocks: {
        type: 'array',
        maxItems: 50,
        items: {
          oneOf: [
            {
              type: 'object',
              required: ['type', 'text'],
              properties: {
                type: { const: 'header' },
                text: { type: 'object', required: ['type', 'text'], properties: { type: { const: 'plain_text' }, text: { type: 'string', maxLength: 150 } } },
              },
            },
            {
              type: 'object',
              required: ['type'],
              properties: {
                type: { const: 'section' },
                text: { type: 'object', properties: { type: { const: 'mrkdwn' }, text: { type: 'string', maxLength: 3000 } } },
                fields: {
                  type: 'array',
                  maxItems: 10,
                  items: { type: 'object', properties: { type: { const: 'mrkdwn' }, text: { type: 'string', maxLength: 2000 } } },
                },
              },
            },
            { type: 'object', required: ['type', 'elements'], properties: { type: { const: 'actions' }, elements: { type: 'array', maxItems: 25 } } },
          ],
        },
      },
    },
  },
  // https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using: a message with an Adaptive Card attachment.
  teams: {
    type: 'object',
    required: ['type', 'attachments'],
    properties: {
      type: { const: 'message' },
      attachments: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['contentType', 'content'],
          properties: {
            contentType: { const: 'application/vnd.microsoft.card.adaptive' },
            content: {
              type: 'object',
              required: ['type', 'version', 'body'],
              properties: { type: { const: 'AdaptiveCard' }, version: { type: 'string' }, body: { type: 'array', minItems: 1 } },
            },
          },
        },
      },
    },
  },
  // https://developers.google.com/workspace/chat/api/reference/rest/v1/cards: cardsV2 items have a cardId and a card whose sections hold at least one widget.
  google_chat: {
    type: 'object',
    required: ['cardsV2'],
    properties: {
      text: { type: 'string' },
      cardsV2: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['cardId', 'card'],
          properties: {
            cardId: { type: 'string', minLength: 1 },
            card: {
              type: 'object',
              required: ['sections'],
              properties: {
                header: { type: 'object', required: ['title'] },
                sections: {
                  type: 'array',
                  minItems: 1,
                  items: { type: 'object', required: ['widgets'], properties: { widgets: { type: 'array', minItems: 1 } } },
                },
              },
            },
          },
        },
      },
    },
  },
  // https://discord.com/developers/docs/resources/webhook#execute-webhook and …/message#embed-object-embed-limits.
  discord: {
    type: 'object',
    required: ['embeds', 'allowed_mentions'],
    properties: {
      content: { type: 'string', maxLength: 2000 },
      allowed_mentions: { type: 'object', required: ['parse'], properties: { parse: { type: 'array', maxItems: 0 } } },
      embeds: {
        type: 'array',
        maxItems: 10,
        items: {
          type: 'object',
          properties: {
            title: { type: 'string', maxLength: 256 },
            description: { type: 'string', maxLength: 4096 },
            url: { type: 'string' },
            fields: {
              type: 'array',
              maxItems: 25,
              items: {
                type: 'object',
                required: ['name', 'value'],
                properties: { name: { type: 'string', maxLength: 256 }, value: { type: 'string', maxLength: 1024 }, inline: { type: 'boolean' } },
              },
            },
          },
        },
      },
    },
  },
  // https://core.telegram.org/bots/api#sendmessage: chat_id and 1-4096 characters of text; parse_mode HTML.
  telegram: {
    type: 'object',
    required: ['chat_id', 'text'],
    properties: {
      chat_id: { type: 'string', minLength: 1 },
      text: { type: 'string', minLength: 1 },
      parse_mode: { const: 'HTML' },
      link_preview_options: { type: 'object' },
    },
  },
};

const ajv = createAjv();
const target = { telegramChatId: '-1001234567890', cardId: 'delivery-1' };

describe('formatChatMessage', () => {
  const message = renderTemplate(template, event);

  it.each(Object.keys(FORMATS) as ChatTool[])('formats %s as its documented message JSON', (tool) => {
    const validate = ajv.compile(FORMATS[tool]);
    const body = formatChatMessage(tool, message, target);
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it('slack: header, escaped mrkdwn text, fields and an Open button', () => {
    expect(formatChatMessage('slack', message)).toEqual({
      text: 'VIP ticket #1002: SSO &lt;fails&gt; &amp; @everyone *now*',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'VIP ticket #1002', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'SSO &lt;fails&gt; &amp; @everyone *now*' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Customer*\nMeridian Health (platinum)' }] },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://support.example.com/t/1002' }] },
      ],
    });
  });

  it('teams: an Adaptive Card with a bold title, the text, a FactSet and an Open action', () => {
    const body = formatChatMessage('teams', message) as { attachments: { content: { body: unknown[]; actions: unknown[] } }[] };
    expect(body.attachments[0].content.body).toEqual([
      { type: 'TextBlock', text: 'VIP ticket #1002', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: 'SSO <fails> & @everyone *now*', wrap: true },
      { type: 'FactSet', facts: [{ title: 'Customer', value: 'Meridian Health (platinum)' }] },
    ]);
    expect(body.attachments[0].content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open', url: 'https://support.example.com/t/1002' }]);
  });

  it('google chat: a card with the title as header and HTML-escaped widgets', () => {
    expect(formatChatMessage('google_chat', message, target)).toEqual({
      text: 'VIP ticket #1002',
      cardsV2: [
        {
          cardId: 'delivery-1',
          card: {
            header: { title: 'VIP ticket #1002' },
            sections: [
              {
                widgets: [
                  { textParagraph: { text: 'SSO &lt;fails&gt; &amp; @everyone *now*' } },
                  { decoratedText: { topLabel: 'Customer', text: 'Meridian Health (platinum)' } },
                  { buttonList: { buttons: [{ text: 'Open', onClick: { openLink: { url: 'https://support.example.com/t/1002' } } }] } },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it('discord: one embed, markdown in values escaped, no mention parsed', () => {
    expect(formatChatMessage('discord', message)).toEqual({
      embeds: [
        {
          title: 'VIP ticket \\#1002',
          url: 'https://support.example.com/t/1002',
          description: 'SSO <fails\\> & @everyone \\*now\\*',
          fields: [{ name: 'Customer', value: 'Meridian Health \\(platinum\\)', inline: true }],
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('telegram: HTML with the title bold, entities escaped, previews off', () => {
    expect(formatChatMessage('telegram', message, target)).toEqual({
      chat_id: '-1001234567890',
      text: '<b>VIP ticket #1002</b>\nSSO &lt;fails&gt; &amp; @everyone *now*\n<b>Customer:</b> Meridian Health (platinum)\n<a href="https://support.example.com/t/1002">Open</a>',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(() => formatChatMessage('telegram', message)).toThrow(/chat id/);
  });

  it('cuts long parts to each tool’s limits', () => {
    const long: ChatMessage = { title: 't'.repeat(400), text: 'x'.repeat(5000), fields: [{ label: 'l', value: 'v'.repeat(2000) }] };
    for (const tool of Object.keys(FORMATS) as ChatTool[]) {
      const validate = ajv.compile(FORMATS[tool]);
      expect(validate(formatChatMessage(tool, long, target)) ? [] : [tool, validate.errors]).toEqual([]);
    }
    const slack = formatChatMessage('slack', long) as { blocks: { text?: { text: string } }[] };
    expect(slack.blocks[0].text!.text).toHaveLength(150);
    expect(slack.blocks[0].text!.text.endsWith('…')).toBe(true);
  });
});
