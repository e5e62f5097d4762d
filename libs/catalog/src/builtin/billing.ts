// Billing: invoices through their life (created, sent, paid, overdue, voided),
// payments (succeeded, failed, refunded) and subscriptions (created, renewed,
// canceled), as a billing system sends them to Hookline.
import type { BuiltinEventType, JsonSchema } from './builtin-event-type';
import {
  customerRef,
  date,
  dateTime,
  eventSchema,
  id,
  integer,
  money,
  nullable,
  nullableDateTime,
  nullableText,
  oneOfStrings,
  constant,
  text,
  url,
  userRef,
} from './schema-parts';

const GROUP = 'billing';

const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;

const INVOICE: Record<string, JsonSchema> = {
  id: id('Invoice id, e.g. `inv_…`.'),
  number: text('Invoice number as printed on the invoice, e.g. `INV-2026-0142`.'),
  status: oneOfStrings(INVOICE_STATUSES, 'Status of the invoice after the event.'),
  customer: customerRef('The customer billed.'),
  total: money('Total of the invoice, taxes included.'),
  amountDue: money('What remains to be paid.'),
  dueDate: date('Date by which the invoice is to be paid.'),
  hostedInvoiceUrl: url('Page where the customer can see and pay the invoice.'),
};
const INVOICE_REQUIRED = ['id', 'number', 'status', 'customer', 'total', 'amountDue', 'dueDate'];

const LINE_ITEMS: JsonSchema = {
  type: 'array',
  description: 'What is billed, one line per product or service.',
  minItems: 1,
  items: {
    type: 'object',
    properties: {
      description: text('Line text.'),
      quantity: integer('Units billed.', 1),
      unitAmount: money('Price of one unit.'),
      amount: money('Line total.'),
    },
    required: ['description', 'quantity', 'unitAmount', 'amount'],
  },
};

const CUSTOMER = { id: 'cus_N7x2KqLmP4', name: 'Northwind Logistics', email: 'accounts@northwind-logistics.com', tier: 'gold' };
const INVOICE_EXAMPLE = {
  id: 'inv_1Qk8ZtR2vH',
  number: 'INV-2026-0142',
  status: 'open',
  customer: CUSTOMER,
  total: { amount: 258800, currency: 'USD' },
  amountDue: { amount: 258800, currency: 'USD' },
  dueDate: '2026-04-14',
  hostedInvoiceUrl: 'https://billing.example.com/i/inv_1Qk8ZtR2vH',
};

const PAYMENT_METHOD: JsonSchema = {
  type: 'object',
  description: 'How the customer paid or tried to pay.',
  properties: {
    type: oneOfStrings(['card', 'bank_transfer', 'sepa_debit', 'ach_debit', 'paypal'], 'Kind of payment method.'),
    brand: nullableText('Card brand for cards (`visa`, `mastercard`, `amex`), otherwise null.'),
    last4: { type: ['string', 'null'], pattern: '^[0-9]{4}$', description: 'Last four digits of the card or account number.' },
  },
  required: ['type'],
};
const PAYMENT: Record<string, JsonSchema> = {
  id: id('Payment id, e.g. `pay_…`.'),
  customer: customerRef('The customer who paid.'),
  amount: money('Amount of the payment.'),
  method: PAYMENT_METHOD,
  invoiceId: nullableText('Invoice the payment is for (`inv_…`), or null for a payment not tied to an invoice.'),
};
const PAYMENT_REQUIRED = ['id', 'customer', 'amount', 'method', 'invoiceId'];
const PAYMENT_EXAMPLE = {
  id: 'pay_3Hf9WcX1aL',
  customer: CUSTOMER,
  amount: { amount: 258800, currency: 'USD' },
  method: { type: 'card', brand: 'visa', last4: '4242' },
  invoiceId: 'inv_1Qk8ZtR2vH',
};

const PLAN: JsonSchema = {
  type: 'object',
  description: 'The plan subscribed to.',
  properties: {
    id: id('Plan id, e.g. `plan_…`.'),
    name: text('Plan name as the customer sees it.'),
    interval: oneOfStrings(['month', 'year'], 'Billing period.'),
    price: money('Price per seat and period.'),
  },
  required: ['id', 'name', 'interval', 'price'],
};
const SUBSCRIPTION: Record<string, JsonSchema> = {
  id: id('Subscription id, e.g. `sub_…`.'),
  customer: customerRef('The subscriber.'),
  plan: PLAN,
  status: oneOfStrings(['trialing', 'active', 'past_due', 'canceled'], 'Status of the subscription after the event.'),
  seats: integer('Number of seats billed.', 1),
  currentPeriodStart: dateTime('Start of the period being billed.'),
  currentPeriodEnd: dateTime('End of the period being billed; the next renewal.'),
};
const SUBSCRIPTION_REQUIRED = ['id', 'customer', 'plan', 'status', 'seats', 'currentPeriodStart', 'currentPeriodEnd'];
const SUBSCRIPTION_EXAMPLE = {
  id: 'sub_8Ld2NqV5sE',
  customer: { id: 'cus_Q3r8TbYw1Z', name: 'Brightpath Dental Group', email: 'it@brightpathdental.com', tier: 'pro' },
  plan: { id: 'plan_pro_yearly', name: 'Pro (yearly)', interval: 'year', price: { amount: 46800, currency: 'USD' } },
  status: 'active',
  seats: 12,
  currentPeriodStart: '2026-03-01T00:00:00Z',
  currentPeriodEnd: '2027-03-01T00:00:00Z',
};

export const BILLING_EVENT_TYPES: readonly BuiltinEventType[] = [
  {
    name: 'invoice.created',
    group: GROUP,
    description: 'An invoice was created, as a draft or ready to send.',
    schema: eventSchema(
      'invoice.created',
      'An invoice was created.',
      {
        ...INVOICE,
        status: oneOfStrings(['draft', 'open'], 'A new invoice is a draft or, when finalized at once, open.'),
        lineItems: LINE_ITEMS,
        createdAt: dateTime('When the invoice was created.'),
      },
      [...INVOICE_REQUIRED, 'lineItems', 'createdAt'],
    ),
    example: {
      ...INVOICE_EXAMPLE,
      lineItems: [
        {
          description: 'Helpdesk Pro, 8 seats, April 2026',
          quantity: 8,
          unitAmount: { amount: 29900, currency: 'USD' },
          amount: { amount: 239200, currency: 'USD' },
        },
        {
          description: 'SMS notifications, 1,960 messages',
          quantity: 1960,
          unitAmount: { amount: 10, currency: 'USD' },
          amount: { amount: 19600, currency: 'USD' },
        },
      ],
      createdAt: '2026-03-31T23:05:11Z',
    },
  },
  {
    name: 'invoice.sent',
    group: GROUP,
    description: 'An invoice was sent to the customer.',
    schema: eventSchema(
      'invoice.sent',
      'An invoice was sent to the customer.',
      {
        ...INVOICE,
        sentTo: { type: 'array', minItems: 1, items: { type: 'string', format: 'email' }, description: 'Addresses the invoice was sent to.' },
        sentAt: dateTime('When the invoice was sent.'),
      },
      [...INVOICE_REQUIRED, 'sentTo', 'sentAt'],
    ),
    example: { ...INVOICE_EXAMPLE, sentTo: ['accounts@northwind-logistics.com', 'ap@northwind-logistics.com'], sentAt: '2026-04-01T08:00:03Z' },
  },
  {
    name: 'invoice.paid',
    group: GROUP,
    description: 'An invoice was paid in full.',
    schema: eventSchema(
      'invoice.paid',
      'An invoice was paid in full.',
      {
        ...INVOICE,
        status: constant('paid', 'Always `paid`.'),
        amountPaid: money('Amount received.'),
        paymentId: id('The payment that settled the invoice, e.g. `pay_…`.'),
        paidAt: dateTime('When the invoice was paid.'),
      },
      [...INVOICE_REQUIRED, 'amountPaid', 'paymentId', 'paidAt'],
    ),
    example: {
      ...INVOICE_EXAMPLE,
      status: 'paid',
      amountDue: { amount: 0, currency: 'USD' },
      amountPaid: { amount: 258800, currency: 'USD' },
      paymentId: 'pay_3Hf9WcX1aL',
      paidAt: '2026-04-09T14:22:47Z',
    },
  },
  {
    name: 'invoice.overdue',
    group: GROUP,
    description: 'An invoice passed its due date unpaid.',
    schema: eventSchema(
      'invoice.overdue',
      'An invoice passed its due date unpaid; sent again on each dunning step.',
      { ...INVOICE, daysOverdue: integer('Days since the due date.', 1), remindersSent: integer('Payment reminders sent so far.') },
      [...INVOICE_REQUIRED, 'daysOverdue', 'remindersSent'],
    ),
    example: { ...INVOICE_EXAMPLE, daysOverdue: 7, remindersSent: 2 },
  },
  {
    name: 'invoice.voided',
    group: GROUP,
    description: 'An invoice was voided and is no longer payable.',
    schema: eventSchema(
      'invoice.voided',
      'An invoice was voided and is no longer payable.',
      {
        ...INVOICE,
        status: constant('void', 'Always `void`.'),
        voidedBy: nullable(userRef('Member of staff who voided the invoice, or null when the billing system did.')),
        reason: nullableText('Why the invoice was voided.'),
        voidedAt: dateTime('When the invoice was voided.'),
      },
      [...INVOICE_REQUIRED, 'voidedBy', 'reason', 'voidedAt'],
    ),
    example: {
      ...INVOICE_EXAMPLE,
      status: 'void',
      voidedBy: { id: 'usr_5Tg7Hj2Kd9', name: 'Priya Raman', email: 'priya.raman@example.com' },
      reason: 'Duplicate of INV-2026-0141',
      voidedAt: '2026-04-02T10:17:30Z',
    },
  },
  {
    name: 'payment.succeeded',
    group: GROUP,
    description: 'A payment went through.',
    schema: eventSchema(
      'payment.succeeded',
      'A payment went through.',
      { ...PAYMENT, receiptUrl: url('Receipt the customer can download.'), succeededAt: dateTime('When the payment was confirmed.') },
      [...PAYMENT_REQUIRED, 'succeededAt'],
    ),
    example: { ...PAYMENT_EXAMPLE, receiptUrl: 'https://billing.example.com/r/pay_3Hf9WcX1aL', succeededAt: '2026-04-09T14:22:45Z' },
  },
  {
    name: 'payment.failed',
    group: GROUP,
    description: 'A payment attempt was declined or failed.',
    schema: eventSchema(
      'payment.failed',
      'A payment attempt was declined or failed.',
      {
        ...PAYMENT,
        failureCode: text('Machine-readable reason, e.g. `card_declined`, `insufficient_funds`, `expired_card`.'),
        failureMessage: text('Reason for a human.'),
        attempt: integer('Which attempt this was, counting from 1.', 1),
        nextRetryAt: nullableDateTime('When the payment will be tried again, or null when it will not.'),
        failedAt: dateTime('When the attempt failed.'),
      },
      [...PAYMENT_REQUIRED, 'failureCode', 'failureMessage', 'attempt', 'nextRetryAt', 'failedAt'],
    ),
    example: {
      ...PAYMENT_EXAMPLE,
      method: { type: 'card', brand: 'mastercard', last4: '5100' },
      failureCode: 'insufficient_funds',
      failureMessage: 'The card has insufficient funds to complete the purchase.',
      attempt: 2,
      nextRetryAt: '2026-04-12T14:00:00Z',
      failedAt: '2026-04-09T14:00:12Z',
    },
  },
  {
    name: 'payment.refunded',
    group: GROUP,
    description: 'A payment was refunded, in full or in part.',
    schema: eventSchema(
      'payment.refunded',
      'A payment was refunded, in full or in part.',
      {
        ...PAYMENT,
        refund: {
          type: 'object',
          description: 'The refund.',
          properties: {
            id: id('Refund id, e.g. `re_…`.'),
            amount: money('Amount refunded.'),
            reason: oneOfStrings(['requested_by_customer', 'duplicate', 'fraudulent', 'other'], 'Why the payment was refunded.'),
          },
          required: ['id', 'amount', 'reason'],
        },
        fullyRefunded: { type: 'boolean', description: 'Whether the whole payment has now been refunded.' },
        refundedAt: dateTime('When the refund was issued.'),
      },
      [...PAYMENT_REQUIRED, 'refund', 'fullyRefunded', 'refundedAt'],
    ),
    example: {
      ...PAYMENT_EXAMPLE,
      refund: { id: 're_6Vb1Mz8QkR', amount: { amount: 29900, currency: 'USD' }, reason: 'requested_by_customer' },
      fullyRefunded: false,
      refundedAt: '2026-04-15T09:41:05Z',
    },
  },
  {
    name: 'subscription.created',
    group: GROUP,
    description: 'A customer subscribed to a plan.',
    schema: eventSchema(
      'subscription.created',
      'A customer subscribed to a plan.',
      {
        ...SUBSCRIPTION,
        trialEndsAt: nullableDateTime('End of the free trial, or null without one.'),
        createdAt: dateTime('When the subscription was created.'),
      },
      [...SUBSCRIPTION_REQUIRED, 'trialEndsAt', 'createdAt'],
    ),
    example: { ...SUBSCRIPTION_EXAMPLE, status: 'trialing', trialEndsAt: '2026-03-15T00:00:00Z', createdAt: '2026-03-01T09:12:40Z' },
  },
  {
    name: 'subscription.renewed',
    group: GROUP,
    description: 'A subscription entered a new billing period.',
    schema: eventSchema(
      'subscription.renewed',
      'A subscription entered a new billing period and was invoiced for it.',
      { ...SUBSCRIPTION, invoiceId: id('Invoice for the new period, e.g. `inv_…`.'), renewedAt: dateTime('When the subscription was renewed.') },
      [...SUBSCRIPTION_REQUIRED, 'invoiceId', 'renewedAt'],
    ),
    example: {
      ...SUBSCRIPTION_EXAMPLE,
      currentPeriodStart: '2027-03-01T00:00:00Z',
      currentPeriodEnd: '2028-03-01T00:00:00Z',
      invoiceId: 'inv_9Cw4Ue7PbN',
      renewedAt: '2027-03-01T00:00:04Z',
    },
  },
  {
    name: 'subscription.canceled',
    group: GROUP,
    description: 'A subscription was canceled.',
    schema: eventSchema(
      'subscription.canceled',
      'A subscription was canceled, at once or at the end of the current period.',
      {
        ...SUBSCRIPTION,
        cancelAtPeriodEnd: { type: 'boolean', description: 'True when the customer keeps access until `currentPeriodEnd`.' },
        endsAt: dateTime('When access ends.'),
        reason: {
          type: ['string', 'null'],
          enum: ['too_expensive', 'missing_features', 'switched_service', 'unused', 'customer_service', 'other', null],
          description: 'Reason the customer picked, or null when none was given.',
        },
        feedback: nullableText("The customer's own words."),
        canceledAt: dateTime('When the cancellation was requested.'),
      },
      [...SUBSCRIPTION_REQUIRED, 'cancelAtPeriodEnd', 'endsAt', 'reason', 'canceledAt'],
    ),
    example: {
      ...SUBSCRIPTION_EXAMPLE,
      cancelAtPeriodEnd: true,
      endsAt: '2027-03-01T00:00:00Z',
      reason: 'switched_service',
      feedback: 'We are consolidating on the tool our parent company uses.',
      canceledAt: '2026-11-18T16:03:27Z',
    },
  },
];
