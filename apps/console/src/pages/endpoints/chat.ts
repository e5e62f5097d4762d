import type { ChatTool } from './api';

export const CHAT_TOOLS: ChatTool[] = ['slack', 'teams', 'google_chat', 'discord', 'telegram'];

export const CHAT_TOOL_LABELS: Record<ChatTool, string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  google_chat: 'Google Chat',
  discord: 'Discord',
  telegram: 'Telegram',
};

/** Where each tool hands out its incoming-webhook URL, and the URL's shape, so the user knows what to paste. */
export const WEBHOOK_URL_HINTS: Record<Exclude<ChatTool, 'telegram'>, string> = {
  slack: 'In Slack: Incoming Webhooks → Add New Webhook to Workspace; https://hooks.slack.com/services/…',
  teams: 'In Teams: the channel’s Workflows → “Post to a channel when a webhook request is received”; copy the URL it gives.',
  google_chat: 'In Google Chat: the space’s Apps & integrations → Webhooks → Add webhook; https://chat.googleapis.com/v1/spaces/…',
  discord: 'In Discord: Server Settings → Integrations → Webhooks → New Webhook → Copy Webhook URL; https://discord.com/api/webhooks/…',
};
