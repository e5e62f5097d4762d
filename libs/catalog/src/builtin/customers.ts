// Customers: the accounts of a Hookline user's own customers, from sign-up
// through profile changes and tier changes to churn. Each event carries the
// customer as it is after the event.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import {
  CUSTOMER_TIERS,
  changes,
  dateTime,
  eventSchema,
  id,
  money,
  nullable,
  nullableDateTime,
  nullableText,
  oneOfStrings,
  text,
  userRef,
} from './schema-parts';

const GROUP = 'customers';

const CUSTOMER: Record<string, JsonSchema> = {
  id: id('Customer id, e.g. `cus_…`.'),
  name: text('Display name: a company or a person.'),
  email: { type: 'string', format: 'email', description: 'Main contact address.' },
  tier: oneOfStrings(CUSTOMER_TIERS, 'Plan tier after the event.'),
  company: nullableText('Company name, or null for an individual.'),
  country: { type: ['string', 'null'], pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code, e.g. `DE`.' },
  createdAt: dateTime('When the customer signed up.'),
};
const CUSTOMER_REQUIRED = ['id', 'name', 'email', 'tier'];

const CUSTOMER_EXAMPLE = {
  id: 'cus_T6w1Fz4Hn2',
  name: 'Lumen & Oak Interiors',
  email: 'hello@lumenandoak.co.uk',
  tier: 'starter',
  company: 'Lumen & Oak Interiors Ltd',
  country: 'GB',
  createdAt: '2026-02-03T15:20:44Z',
};

const CHURN_REASONS = ['too_expensive', 'missing_features', 'switched_service', 'unused', 'business_closed', 'payment_failed', 'other'] as const;

export const CUSTOMER_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'customer.signed_up',
    group: GROUP,
    description: 'A new customer created an account.',
    schema: eventSchema(
      'customer.signed_up',
      'A new customer created an account.',
      {
        ...CUSTOMER,
        source: oneOfStrings(['website', 'invite', 'sales', 'marketplace', 'api'], 'How the account was created.'),
        referrer: nullableText('Campaign or referral code, e.g. `spring-webinar-2026`.'),
        trialEndsAt: nullableDateTime('End of the free trial, or null without one.'),
      },
      [...CUSTOMER_REQUIRED, 'createdAt', 'source', 'trialEndsAt'],
    ),
    example: { ...CUSTOMER_EXAMPLE, tier: 'free', source: 'website', referrer: 'spring-webinar-2026', trialEndsAt: '2026-02-17T15:20:44Z' },
  },
  {
    name: 'customer.updated',
    group: GROUP,
    description: "A customer's profile changed (name, contact address, company, country).",
    schema: eventSchema(
      'customer.updated',
      "A customer's profile changed.",
      {
        ...CUSTOMER,
        changes: changes('Changed fields by name, each with its previous and new value.'),
        updatedBy: nullable(userRef('Member of staff who made the change, or null when the customer did.')),
        updatedAt: dateTime('When the profile changed.'),
      },
      [...CUSTOMER_REQUIRED, 'changes', 'updatedBy', 'updatedAt'],
    ),
    example: {
      ...CUSTOMER_EXAMPLE,
      changes: { email: { from: 'sophie@lumenandoak.co.uk', to: 'hello@lumenandoak.co.uk' } },
      updatedBy: null,
      updatedAt: '2026-06-21T11:04:37Z',
    },
  },
  {
    name: 'customer.churned',
    group: GROUP,
    description: 'A customer stopped paying: last subscription ended or the account was closed.',
    schema: eventSchema(
      'customer.churned',
      'A customer stopped paying: their last subscription ended or the account was closed.',
      {
        ...CUSTOMER,
        tier: oneOfStrings(CUSTOMER_TIERS, 'Tier the customer was on before churning.'),
        reason: oneOfStrings(CHURN_REASONS, 'Main reason, as recorded.'),
        lifetimeValue: money('Everything the customer paid, refunds deducted.'),
        customerSince: dateTime('When the customer first paid.'),
        churnedAt: dateTime('When the customer churned.'),
      },
      [...CUSTOMER_REQUIRED, 'reason', 'lifetimeValue', 'customerSince', 'churnedAt'],
    ),
    example: {
      ...CUSTOMER_EXAMPLE,
      id: 'cus_D8j3Sx6Lp0',
      name: 'Fernhill Veterinary Clinic',
      email: 'office@fernhillvets.com',
      tier: 'pro',
      company: 'Fernhill Veterinary Clinic LLC',
      country: 'US',
      createdAt: '2024-09-12T13:02:19Z',
      reason: 'too_expensive',
      lifetimeValue: { amount: 1123200, currency: 'USD' },
      customerSince: '2024-09-26T00:00:00Z',
      churnedAt: '2026-09-26T00:00:00Z',
    },
  },
  {
    name: 'customer.tier_changed',
    group: GROUP,
    description: 'A customer moved to another plan tier, up or down.',
    schema: eventSchema(
      'customer.tier_changed',
      'A customer moved to another plan tier, up or down.',
      {
        ...CUSTOMER,
        previousTier: oneOfStrings(CUSTOMER_TIERS, 'Tier before the change.'),
        direction: oneOfStrings(['upgrade', 'downgrade'], 'Whether the new tier is above or below the previous one.'),
        monthlyRecurringRevenue: money('Monthly recurring revenue from the customer after the change.'),
        changedAt: dateTime('When the new tier took effect.'),
      },
      [...CUSTOMER_REQUIRED, 'previousTier', 'direction', 'monthlyRecurringRevenue', 'changedAt'],
    ),
    example: {
      ...CUSTOMER_EXAMPLE,
      tier: 'gold',
      previousTier: 'pro',
      direction: 'upgrade',
      monthlyRecurringRevenue: { amount: 89000, currency: 'GBP' },
      changedAt: '2026-07-01T00:00:00Z',
    },
  },
];
