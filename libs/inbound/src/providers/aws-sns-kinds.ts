// The kinds of callback an AWS SNS source makes (a notification, SES's notifications through it), with an
// example `data` of each: the event catalog's `inbound.aws_sns.*` entries.
import type { ProviderKind } from '../provider';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ses-feedback';
const exampleSns = (messageId: string, timestamp: string) => ({ MessageId: messageId, TopicArn: TOPIC, Timestamp: timestamp });
const exampleMail = {
  timestamp: '2025-03-14T09:26:53.000Z',
  source: 'Billing <billing@example.com>',
  sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
  sendingAccountId: '123456789012',
  messageId: '0100018e3c5d7b2a-5f0e7a61-3d3e-4c2e-9a4b-1c1f9d2e0a11-000000',
  destination: ['jane@example.org'],
  headersTruncated: false,
  commonHeaders: { from: ['Billing <billing@example.com>'], to: ['jane@example.org'], messageId: '0100018e3c5d7b2a-5f0e7a61', subject: 'Your March invoice' },
  tags: { 'ses:configuration-set': ['transactional'], 'ses:source-ip': ['203.0.113.10'] },
};

/** The kinds an SNS source makes, with example data (for the event catalog). */
export const awsSnsKinds: ProviderKind[] = [
  {
    kind: 'notification',
    description: 'A message published to the SNS topic (anything but an SES notification).',
    example: {
      message: { orderId: 'ord_8123', status: 'shipped' },
      subject: 'Order shipped',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:orders',
      messageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
      timestamp: '2025-03-14T09:27:01.512Z',
      messageAttributes: { region: { Type: 'String', Value: 'eu' } },
    },
  },
  {
    kind: 'ses.bounce',
    description: "SES: a recipient's mail server rejected the email (permanent) or SES gave up retrying (transient).",
    example: {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'jane@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
        timestamp: '2025-03-14T09:26:55.120Z',
        feedbackId: '0100018e3c5d8f10-2b6f4c1e-6b1c-4f5e-8d2a-7e3b9c0d1a22-000000',
        reportingMTA: 'dsn; a8-52.smtp-out.amazonses.com',
      },
      mail: exampleMail,
      sns: exampleSns('5c1e8a9d-6f3b-5d2e-9b7a-1f4c2e8d0b33', '2025-03-14T09:26:55.402Z'),
    },
  },
  {
    kind: 'ses.complaint',
    description: 'SES: the recipient marked the email as spam.',
    example: {
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'jane@example.org' }],
        timestamp: '2025-03-14T10:02:11.000Z',
        feedbackId: '0100018e3c7f1a2b-9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b-000000',
        userAgent: 'Yahoo!-Mail-Feedback/2.0',
        complaintFeedbackType: 'abuse',
        arrivalDate: '2025-03-14T10:01:58.000Z',
      },
      mail: exampleMail,
      sns: exampleSns('8a2b4c6d-1e3f-5a7b-9c0d-2e4f6a8b0c1d', '2025-03-14T10:02:12.877Z'),
    },
  },
  {
    kind: 'ses.delivery',
    description: "SES: the recipient's mail server accepted the email.",
    example: {
      eventType: 'Delivery',
      delivery: {
        timestamp: '2025-03-14T09:26:54.731Z',
        processingTimeMillis: 1731,
        recipients: ['jane@example.org'],
        smtpResponse: '250 2.0.0 OK  1710408414 d9443c01a7336-1dd3a2b0c4fsi1234567pld.123 - gsmtp',
        reportingMTA: 'a8-52.smtp-out.amazonses.com',
        remoteMtaIp: '198.51.100.25',
      },
      mail: exampleMail,
      sns: exampleSns('3d5f7a9b-2c4e-6a8b-0d2f-4a6c8e0b2d4f', '2025-03-14T09:26:55.013Z'),
    },
  },
  {
    kind: 'ses.send',
    description: 'SES: the send request succeeded and SES will try to deliver the email.',
    example: { eventType: 'Send', send: {}, mail: exampleMail, sns: exampleSns('7e9a1c3e-5b7d-9f1a-3c5e-7a9c1e3a5c7e', '2025-03-14T09:26:53.240Z') },
  },
  {
    kind: 'ses.reject',
    description: 'SES: the email contained a virus and SES did not try to deliver it.',
    example: {
      eventType: 'Reject',
      reject: { reason: 'Bad content' },
      mail: exampleMail,
      sns: exampleSns('9b1d3f5a-7c9e-1b3d-5f7a-9c1e3b5d7f9a', '2025-03-14T09:26:53.310Z'),
    },
  },
  {
    kind: 'ses.open',
    description: 'SES: the recipient opened the email (open tracking).',
    example: {
      eventType: 'Open',
      open: {
        ipAddress: '192.0.2.44',
        timestamp: '2025-03-14T11:40:02.000Z',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15',
      },
      mail: exampleMail,
      sns: exampleSns('1a3c5e7b-9d1f-3b5d-7f9b-1d3f5b7d9f1b', '2025-03-14T11:40:02.918Z'),
    },
  },
  {
    kind: 'ses.click',
    description: 'SES: the recipient clicked a link in the email (click tracking).',
    example: {
      eventType: 'Click',
      click: {
        ipAddress: '192.0.2.44',
        timestamp: '2025-03-14T11:40:31.000Z',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15',
        link: 'https://example.com/invoices/inv_2025_03',
        linkTags: { campaign: ['invoice'] },
      },
      mail: exampleMail,
      sns: exampleSns('2b4d6f8c-0e2a-4c6e-8a0c-2e4a6c8e0a2c', '2025-03-14T11:40:31.655Z'),
    },
  },
  {
    kind: 'ses.deliverydelay',
    description: 'SES: delivery is delayed by a temporary problem (full mailbox, unreachable server); SES keeps trying.',
    example: {
      eventType: 'DeliveryDelay',
      deliveryDelay: {
        timestamp: '2025-03-14T09:41:53.000Z',
        delayType: 'TransientCommunicationFailure',
        expirationTime: '2025-03-14T23:26:53.000Z',
        delayedRecipients: [{ emailAddress: 'jane@example.org', status: '4.4.1', diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host' }],
        reportingMTA: 'a8-52.smtp-out.amazonses.com',
      },
      mail: exampleMail,
      sns: exampleSns('4c6e8a0d-2f4b-6d8f-0b2d-4f6b8d0f2b4d', '2025-03-14T09:41:53.780Z'),
    },
  },
  {
    kind: 'ses.subscription',
    description: 'SES: the recipient changed their subscription preferences (subscription management, list unsubscribe).',
    example: {
      eventType: 'Subscription',
      subscription: {
        contactList: 'Newsletter',
        timestamp: '2025-03-14T12:05:40.000Z',
        source: 'UnsubscribeHeader',
        newTopicPreferences: { unsubscribeAll: true, topicSubscriptionStatus: [{ topicName: 'ProductUpdates', subscriptionStatus: 'OptOut' }] },
        oldTopicPreferences: { unsubscribeAll: false, topicSubscriptionStatus: [{ topicName: 'ProductUpdates', subscriptionStatus: 'OptIn' }] },
      },
      mail: exampleMail,
      sns: exampleSns('5d7f9b1e-3a5c-7e9a-1c3e-5a7c9e1a3c5e', '2025-03-14T12:05:40.611Z'),
    },
  },
  {
    kind: 'ses.renderingfailure',
    description: 'SES: a templated email was not sent because the template could not be rendered.',
    example: {
      eventType: 'Rendering Failure',
      failure: { errorMessage: "Attribute 'invoiceNumber' is not present in the rendering data.", templateName: 'InvoiceReady' },
      mail: exampleMail,
      sns: exampleSns('6e8a0c2f-4b6d-8f0b-2d4f-6b8d0f2b4d6f', '2025-03-14T09:26:53.402Z'),
    },
  },
  {
    kind: 'ses.received',
    description: 'SES: an email arrived for a receipt rule with an SNS action.',
    example: {
      notificationType: 'Received',
      receipt: {
        timestamp: '2025-03-14T13:10:04.203Z',
        processingTimeMillis: 412,
        recipients: ['support@example.com'],
        spamVerdict: { status: 'PASS' },
        virusVerdict: { status: 'PASS' },
        spfVerdict: { status: 'PASS' },
        dkimVerdict: { status: 'PASS' },
        dmarcVerdict: { status: 'PASS' },
        action: { type: 'SNS', topicArn: 'arn:aws:sns:us-east-1:123456789012:inbound-mail', encoding: 'UTF8' },
      },
      mail: {
        timestamp: '2025-03-14T13:10:03.791Z',
        source: 'jane@example.org',
        messageId: 'q1v2k3n4m5b6v7c8x9z0a1s2d3f4g5h6j7k8l9p0',
        destination: ['support@example.com'],
        headersTruncated: false,
        commonHeaders: { from: ['Jane Doe <jane@example.org>'], to: ['support@example.com'], subject: 'Question about my invoice' },
      },
      content:
        'Return-Path: <jane@example.org>\r\nFrom: Jane Doe <jane@example.org>\r\nTo: support@example.com\r\nSubject: Question about my invoice\r\n\r\nHello,\r\n',
      sns: {
        MessageId: '7f9b1d3a-5c7e-9a1c-3e5a-7c9e1a3c5e7a',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:inbound-mail',
        Timestamp: '2025-03-14T13:10:04.650Z',
      },
    },
  },
];
