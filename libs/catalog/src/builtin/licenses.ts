// Licenses: software licenses a Hookline user sells to its customers, from
// activation on a machine through renewal to the warning before expiry and
// the expiry itself. Each event carries the license as it is after the event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import { customerRef, dateTime, eventSchema, id, integer, namedRef, nullableDateTime, nullableText, text, url } from './schema-parts';

const GROUP = 'licenses';

const LICENSE: Record<string, JsonSchema> = {
  id: id('License id, e.g. `lic_…`.'),
  key: text('License key, masked but for its last block, e.g. `XXXX-XXXX-XXXX-7F3A`.'),
  product: namedRef('Product id, e.g. `prod_…`.', 'The product licensed.'),
  edition: text('Edition of the product, e.g. `Professional`.'),
  customer: customerRef('The licensee.'),
  seats: integer('Seats (machines or named users) the license covers.', 1),
  seatsUsed: integer('Seats activated so far.'),
  autoRenew: { type: 'boolean', description: 'Whether the license renews by itself at expiry.' },
  expiresAt: dateTime('When the license expires (after a renewal: the new date).'),
};
const LICENSE_REQUIRED = ['id', 'key', 'product', 'customer', 'seats', 'expiresAt'];

const LICENSE_EXAMPLE = {
  id: 'lic_9Rk2Vd7Mx3',
  key: 'XXXX-XXXX-XXXX-7F3A',
  product: { id: 'prod_statlab', name: 'StatLab Desktop' },
  edition: 'Professional',
  customer: { id: 'cus_W2p7Gn5Bz1', name: 'Halvorsen Engineering AS', email: 'licensing@halvorsen-eng.no', tier: 'enterprise' },
  seats: 25,
  seatsUsed: 19,
  autoRenew: false,
  expiresAt: '2026-12-31T23:59:59Z',
};

export const LICENSE_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'license.activated',
    group: GROUP,
    description: 'A license was activated on a machine or for a user, taking a seat.',
    schema: eventSchema(
      'license.activated',
      'A license was activated on a machine or for a user, taking a seat.',
      {
        ...LICENSE,
        activation: {
          type: 'object',
          description: 'The new activation.',
          properties: {
            id: id('Activation id, e.g. `act_…`.'),
            machineName: nullableText('Host name of the machine, or null for a named-user license.'),
            userEmail: { type: ['string', 'null'], format: 'email', description: 'User the seat is for, or null for a machine license.' },
            appVersion: text('Version of the product that activated.'),
          },
          required: ['id', 'appVersion'],
        },
        activatedAt: dateTime('When the license was activated.'),
      },
      [...LICENSE_REQUIRED, 'seatsUsed', 'activation', 'activatedAt'],
    ),
    example: {
      ...LICENSE_EXAMPLE,
      seatsUsed: 20,
      activation: { id: 'act_5Hq8Ly3Tc6', machineName: 'HE-WS-0417', userEmail: 'ingrid.solberg@halvorsen-eng.no', appVersion: '2026.2.1' },
      activatedAt: '2026-03-09T08:14:22Z',
    },
  },
  {
    name: 'license.renewed',
    group: GROUP,
    description: 'A license was renewed for a further term.',
    schema: eventSchema(
      'license.renewed',
      'A license was renewed for a further term.',
      {
        ...LICENSE,
        previousExpiresAt: dateTime('When the license would have expired without the renewal.'),
        termMonths: integer('Length of the new term, in months.', 1),
        invoiceId: nullableText('Invoice for the renewal (`inv_…`), or null when it was free of charge.'),
        renewedAt: dateTime('When the license was renewed.'),
      },
      [...LICENSE_REQUIRED, 'previousExpiresAt', 'termMonths', 'invoiceId', 'renewedAt'],
    ),
    example: {
      ...LICENSE_EXAMPLE,
      expiresAt: '2027-12-31T23:59:59Z',
      previousExpiresAt: '2026-12-31T23:59:59Z',
      termMonths: 12,
      invoiceId: 'inv_2Xs5Kw8Fd4',
      renewedAt: '2026-12-14T10:26:48Z',
    },
  },
  {
    name: 'license.expiring',
    group: GROUP,
    description: 'A license expires soon (sent 30, 14 and 3 days before by default).',
    schema: eventSchema(
      'license.expiring',
      'A license expires soon and will not renew by itself.',
      { ...LICENSE, daysUntilExpiry: integer('Whole days left before `expiresAt`.'), renewUrl: url('Page where the customer can renew.') },
      [...LICENSE_REQUIRED, 'autoRenew', 'daysUntilExpiry'],
    ),
    example: { ...LICENSE_EXAMPLE, daysUntilExpiry: 14, renewUrl: 'https://store.example.com/renew/lic_9Rk2Vd7Mx3' },
  },
  {
    name: 'license.expired',
    group: GROUP,
    description: 'A license expired without being renewed.',
    schema: eventSchema(
      'license.expired',
      'A license expired without being renewed.',
      {
        ...LICENSE,
        expiredAt: dateTime('When the license expired.'),
        gracePeriodEndsAt: nullableDateTime('Until when the product keeps working, or null without a grace period.'),
      },
      [...LICENSE_REQUIRED, 'expiredAt', 'gracePeriodEndsAt'],
    ),
    example: { ...LICENSE_EXAMPLE, expiredAt: '2026-12-31T23:59:59Z', gracePeriodEndsAt: '2027-01-14T23:59:59Z' },
  },
];
