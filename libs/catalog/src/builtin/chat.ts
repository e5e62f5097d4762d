// Chat: live-chat conversations on a website or in an app, from the first
// message through a hand-over from the bot to a human agent to the visitor's
// rating. A visitor who is a known customer is named with their tier.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { customerRef, dateTime, eventSchema, id, integer, nullable, nullableText, oneOfStrings, text, url, userRef } from './schema-parts';

const GROUP = 'chat';

const CONVERSATION: Record<string, JsonSchema> = {
  id: id('Conversation id, e.g. `chat_…`.'),
  channel: oneOfStrings(['web_widget', 'in_app', 'whatsapp', 'messenger'], 'Where the conversation takes place.'),
  visitor: {
    type: 'object',
    description: 'The person chatting, identified or not.',
    properties: {
      id: id('Visitor id, e.g. `vis_…`.'),
      name: nullableText('Name, when the visitor gave it.'),
      email: { type: ['string', 'null'], format: 'email', description: 'Address, when the visitor gave it.' },
    },
    required: ['id', 'name', 'email'],
  },
  customer: nullable(customerRef('The customer the visitor was matched to, or null for an anonymous visitor.')),
  url: url('The conversation in the agent inbox.'),
};
const CONVERSATION_REQUIRED = ['id', 'channel', 'visitor', 'customer'];

const CONVERSATION_EXAMPLE = {
  id: 'chat_6Nw2Hq9Zt4',
  channel: 'web_widget',
  visitor: { id: 'vis_3Kd8Pm1Rx7', name: 'Daniel Okafor', email: 'daniel.okafor@copperleaf.io' },
  customer: { id: 'cus_F1m6Tz8Qa3', name: 'Copperleaf Analytics', email: 'billing@copperleaf.io', tier: 'gold' },
  url: 'https://support.example.com/inbox/chat_6Nw2Hq9Zt4',
};

const AGENT = { id: 'usr_8Sv3Nc6Jy2', name: 'Elena Vasquez', email: 'elena.vasquez@example.com' };

export const CHAT_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'chat.started',
    group: GROUP,
    description: 'A visitor started a chat conversation.',
    schema: eventSchema(
      'chat.started',
      'A visitor started a chat conversation.',
      {
        ...CONVERSATION,
        firstMessage: text("The visitor's first message."),
        pageUrl: { type: ['string', 'null'], format: 'uri', description: 'Page the visitor was on, for the web widget.' },
        handledBy: oneOfStrings(['bot', 'agent'], 'Who answers first: the chat bot or a human agent.'),
        startedAt: dateTime('When the first message was sent.'),
      },
      [...CONVERSATION_REQUIRED, 'firstMessage', 'handledBy', 'startedAt'],
    ),
    example: {
      ...CONVERSATION_EXAMPLE,
      firstMessage: 'Hi, our CSV export has been stuck at 0% for an hour. Is something down?',
      pageUrl: 'https://app.copperleaf.io/reports/exports',
      handledBy: 'bot',
      startedAt: '2026-08-04T13:47:02Z',
    },
  },
  {
    name: 'chat.human_requested',
    group: GROUP,
    description: 'A chat was handed over from the bot to the human agents queue.',
    schema: eventSchema(
      'chat.human_requested',
      'A chat was handed over from the bot to the human agents queue.',
      {
        ...CONVERSATION,
        reason: oneOfStrings(['visitor_asked', 'bot_could_not_answer', 'negative_sentiment', 'priority_customer'], 'Why the bot handed over.'),
        queue: text('Queue the chat waits in, e.g. `Technical support`.'),
        botMessages: integer('Messages the bot sent before handing over.'),
        lastMessage: text("The visitor's most recent message."),
        requestedAt: dateTime('When the hand-over was requested.'),
      },
      [...CONVERSATION_REQUIRED, 'reason', 'queue', 'requestedAt'],
    ),
    example: {
      ...CONVERSATION_EXAMPLE,
      reason: 'visitor_asked',
      queue: 'Technical support',
      botMessages: 3,
      lastMessage: 'None of that helped, can I talk to a person please?',
      requestedAt: '2026-08-04T13:49:36Z',
    },
  },
  {
    name: 'chat.rated',
    group: GROUP,
    description: 'A visitor rated a chat at its end.',
    schema: eventSchema(
      'chat.rated',
      'A visitor rated a chat at its end.',
      {
        ...CONVERSATION,
        rating: { type: 'integer', minimum: 1, maximum: 5, description: 'From 1 (very poor) to 5 (excellent).' },
        comment: nullableText("The visitor's comment, if any."),
        agent: nullable(userRef('Agent who handled the chat, or null when only the bot did.')),
        durationSeconds: integer('Length of the conversation.'),
        ratedAt: dateTime('When the rating was given.'),
      },
      [...CONVERSATION_REQUIRED, 'rating', 'comment', 'agent', 'ratedAt'],
    ),
    example: {
      ...CONVERSATION_EXAMPLE,
      rating: 5,
      comment: 'Elena found the stuck export job and restarted it in two minutes. Thanks!',
      agent: AGENT,
      durationSeconds: 642,
      ratedAt: '2026-08-04T13:58:21Z',
    },
  },
];
