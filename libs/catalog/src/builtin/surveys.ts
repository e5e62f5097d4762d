// Surveys: answers to customer surveys (NPS, CSAT, CES or a custom form),
// when a respondent starts one and when they submit it.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { customerRef, dateTime, eventSchema, id, integer, nullable, nullableText, oneOfStrings } from './schema-parts';

const GROUP = 'surveys';

const RESPONSE: Record<string, JsonSchema> = {
  id: id('Response id, e.g. `resp_…`.'),
  survey: {
    type: 'object',
    description: 'The survey answered.',
    properties: {
      id: id('Survey id, e.g. `srv_…`.'),
      name: { type: 'string', description: 'Survey name.' },
      kind: oneOfStrings(['nps', 'csat', 'ces', 'custom'], 'Kind of survey.'),
      questionCount: integer('Number of questions.', 1),
    },
    required: ['id', 'name', 'kind'],
  },
  respondent: {
    type: 'object',
    description: 'Who answers.',
    properties: {
      email: { type: ['string', 'null'], format: 'email', description: 'Address, or null for an anonymous survey.' },
      customer: nullable(customerRef('The customer the respondent belongs to, or null when unknown.')),
    },
    required: ['email', 'customer'],
  },
  channel: oneOfStrings(['email', 'in_app', 'link', 'sms'], 'How the survey reached the respondent.'),
  ticketId: nullableText('Ticket the survey follows up on (`tkt_…`), or null.'),
  startedAt: dateTime('When the respondent opened the survey.'),
};
const RESPONSE_REQUIRED = ['id', 'survey', 'respondent', 'channel', 'startedAt'];

const RESPONSE_EXAMPLE = {
  id: 'resp_1Fq7Xk4Wd8',
  survey: { id: 'srv_csat_after_ticket', name: 'How did we do?', kind: 'csat', questionCount: 2 },
  respondent: {
    email: 'hannah.lindqvist@meridianhealth.org',
    customer: { id: 'cus_H4k9Lq2Vm8', name: 'Meridian Health Partners', email: 'it-admin@meridianhealth.org', tier: 'platinum' },
  },
  channel: 'email',
  ticketId: 'tkt_7Gm3Xp9RcV',
  startedAt: '2026-05-14T08:02:11Z',
};

const ANSWER: JsonSchema = {
  type: 'object',
  properties: {
    questionId: id('Question id, e.g. `q_…`.'),
    question: { type: 'string', description: 'Question text.' },
    answer: {
      type: ['string', 'number', 'boolean', 'array', 'null'],
      items: { type: 'string' },
      description: 'Text, a score, yes/no, the options picked, or null when skipped.',
    },
  },
  required: ['questionId', 'question', 'answer'],
};

export const SURVEY_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'survey.response.started',
    group: GROUP,
    description: 'A respondent opened a survey and began answering.',
    schema: eventSchema('survey.response.started', 'A respondent opened a survey and began answering.', RESPONSE, RESPONSE_REQUIRED),
    example: RESPONSE_EXAMPLE,
  },
  {
    name: 'survey.response.completed',
    group: GROUP,
    description: 'A respondent submitted a survey.',
    schema: eventSchema(
      'survey.response.completed',
      'A respondent submitted a survey.',
      {
        ...RESPONSE,
        score: {
          type: ['integer', 'null'],
          minimum: 0,
          maximum: 10,
          description: 'The headline score: 0 to 10 for NPS, 1 to 5 for CSAT, 1 to 7 for CES; null for a custom survey.',
        },
        answers: { type: 'array', minItems: 1, items: ANSWER, description: 'Every question, in order.' },
        durationSeconds: integer('Seconds from opening to submitting.'),
        completedAt: dateTime('When the survey was submitted.'),
      },
      [...RESPONSE_REQUIRED, 'score', 'answers', 'completedAt'],
    ),
    example: {
      ...RESPONSE_EXAMPLE,
      score: 5,
      answers: [
        { questionId: 'q_satisfaction', question: 'How satisfied are you with the support you received?', answer: 5 },
        { questionId: 'q_comment', question: 'Anything we could have done better?', answer: 'Fast and clear. Would love a status page for SSO issues.' },
      ],
      durationSeconds: 48,
      completedAt: '2026-05-14T08:02:59Z',
    },
  },
];
