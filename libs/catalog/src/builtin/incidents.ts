// Incidents: on-call incidents raised by monitoring, from the alert through
// acknowledgement and escalation to resolution and a reopening. Each event
// carries the incident as it is after the event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { constant, dateTime, eventSchema, id, integer, namedRef, nullable, nullableText, oneOfStrings, text, url, userRef } from './schema-parts';

const GROUP = 'incidents';

const INCIDENT: Record<string, JsonSchema> = {
  id: id('Incident id, e.g. `inc_…`.'),
  number: integer('Incident number, e.g. 1207.', 1),
  title: text('Summary, usually the alert that raised it.'),
  severity: oneOfStrings(['sev1', 'sev2', 'sev3', 'sev4'], 'Severity, `sev1` the most severe.'),
  status: oneOfStrings(['triggered', 'acknowledged', 'resolved'], 'Status after the event.'),
  service: namedRef('Service id, e.g. `svc_…`.', 'The affected service.'),
  escalationPolicy: namedRef('Escalation policy id, e.g. `esc_…`.', 'Policy deciding who is paged, and when.'),
  url: url('The incident in the on-call tool.'),
  triggeredAt: dateTime('When the incident was raised.'),
};
const INCIDENT_REQUIRED = ['id', 'number', 'title', 'severity', 'status', 'service', 'triggeredAt'];

const INCIDENT_EXAMPLE = {
  id: 'inc_4Tb9Wm2Kq7',
  number: 1207,
  title: 'Checkout API p95 latency above 2s for 5 minutes',
  severity: 'sev2',
  status: 'triggered',
  service: { id: 'svc_checkout_api', name: 'Checkout API' },
  escalationPolicy: { id: 'esc_payments_primary', name: 'Payments: primary on-call' },
  url: 'https://oncall.example.com/incidents/1207',
  triggeredAt: '2026-10-03T02:17:45Z',
};

const RESPONDER = { id: 'usr_7Lc4Fw1Xe9', name: 'Tomasz Wiśniewski', email: 'tomasz.wisniewski@example.com' };

export const INCIDENT_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'incident.triggered',
    group: GROUP,
    description: 'Monitoring raised an incident and paged the on-call responder.',
    schema: eventSchema(
      'incident.triggered',
      'Monitoring raised an incident and paged the on-call responder.',
      {
        ...INCIDENT,
        status: constant('triggered', 'Always `triggered`.'),
        source: text('Monitor or integration that raised it, e.g. `Datadog: checkout-latency-p95`.'),
        alertCount: integer('Alerts grouped into the incident so far.', 1),
        paged: { type: 'array', items: userRef('A responder.'), description: 'Responders paged first.' },
      },
      [...INCIDENT_REQUIRED, 'source', 'alertCount', 'paged'],
    ),
    example: { ...INCIDENT_EXAMPLE, source: 'Datadog: checkout-latency-p95', alertCount: 3, paged: [RESPONDER] },
  },
  {
    name: 'incident.acknowledged',
    group: GROUP,
    description: 'A responder acknowledged an incident: someone is on it.',
    schema: eventSchema(
      'incident.acknowledged',
      'A responder acknowledged an incident.',
      {
        ...INCIDENT,
        acknowledgedBy: userRef('Responder who acknowledged.'),
        acknowledgedAt: dateTime('When the incident was acknowledged.'),
        secondsToAcknowledge: integer('Seconds from trigger to acknowledgement.'),
      },
      [...INCIDENT_REQUIRED, 'acknowledgedBy', 'acknowledgedAt', 'secondsToAcknowledge'],
    ),
    example: { ...INCIDENT_EXAMPLE, status: 'acknowledged', acknowledgedBy: RESPONDER, acknowledgedAt: '2026-10-03T02:21:10Z', secondsToAcknowledge: 205 },
  },
  {
    name: 'incident.resolved',
    group: GROUP,
    description: 'An incident was resolved, by a responder or by its monitor recovering.',
    schema: eventSchema(
      'incident.resolved',
      'An incident was resolved, by a responder or by its monitor recovering.',
      {
        ...INCIDENT,
        resolvedBy: nullable(userRef('Responder who resolved it, or null when the monitor recovered by itself.')),
        resolutionNote: nullableText('What was done, as written by the responder.'),
        durationSeconds: integer('Seconds from trigger to resolution.'),
        resolvedAt: dateTime('When the incident was resolved.'),
      },
      [...INCIDENT_REQUIRED, 'resolvedBy', 'durationSeconds', 'resolvedAt'],
    ),
    example: {
      ...INCIDENT_EXAMPLE,
      status: 'resolved',
      resolvedBy: RESPONDER,
      resolutionNote: 'Rolled back checkout-api to v3.18.2; connection pool exhaustion introduced in v3.19.0.',
      durationSeconds: 2310,
      resolvedAt: '2026-10-03T02:56:15Z',
    },
  },
  {
    name: 'incident.escalated',
    group: GROUP,
    description: 'An incident moved to the next level of its escalation policy.',
    schema: eventSchema(
      'incident.escalated',
      'An incident moved to the next level of its escalation policy.',
      {
        ...INCIDENT,
        level: integer('Escalation level reached, the first being 1.', 2),
        escalatedTo: { type: 'array', minItems: 1, items: userRef('A responder.'), description: 'Responders paged at the new level.' },
        reason: oneOfStrings(['not_acknowledged', 'manual'], 'Nobody acknowledged in time, or a responder escalated by hand.'),
        escalatedAt: dateTime('When the incident was escalated.'),
      },
      [...INCIDENT_REQUIRED, 'level', 'escalatedTo', 'reason', 'escalatedAt'],
    ),
    example: {
      ...INCIDENT_EXAMPLE,
      level: 2,
      escalatedTo: [{ id: 'usr_1Qa5Gd8Nm3', name: 'Aisha Karim', email: 'aisha.karim@example.com' }],
      reason: 'not_acknowledged',
      escalatedAt: '2026-10-03T02:32:45Z',
    },
  },
  {
    name: 'incident.reopened',
    group: GROUP,
    description: 'A resolved incident was opened again.',
    schema: eventSchema(
      'incident.reopened',
      'A resolved incident was opened again, by a responder or by its monitor alerting again.',
      {
        ...INCIDENT,
        reopenedBy: nullable(userRef('Responder who reopened it, or null when the monitor alerted again.')),
        reason: text('Why it was reopened.'),
        previousResolvedAt: dateTime('When the incident had been resolved.'),
        reopenedAt: dateTime('When the incident was reopened.'),
      },
      [...INCIDENT_REQUIRED, 'reopenedBy', 'reason', 'previousResolvedAt', 'reopenedAt'],
    ),
    example: {
      ...INCIDENT_EXAMPLE,
      reopenedBy: null,
      reason: 'Alert fired again: checkout-latency-p95 above threshold',
      previousResolvedAt: '2026-10-03T02:56:15Z',
      reopenedAt: '2026-10-03T04:08:02Z',
    },
  },
];
