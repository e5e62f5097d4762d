import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { Field, FormActions } from '../../ui/form';
import { Badge } from '../../ui/display';
import type { ChatTemplate, ChatTool, CreateBody, CreatedEndpoint, Endpoint, UpdateBody } from './api';
import { CHAT_TOOL_LABELS, CHAT_TOOLS, WEBHOOK_URL_HINTS } from './chat';
import { EventTypes } from './parts';

/** "invoice.paid, invoice.*" or one per line, as the list the API takes (blanks and repeats dropped). */
export function parseEventTypes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((t) => t !== ''))];
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

type Props =
  | { tenantId: string; endpoint?: undefined; onCreated(endpoint: CreatedEndpoint): void; onCancel(): void }
  | { tenantId: string; endpoint: Endpoint; onSaved(endpoint: Endpoint): void; onCancel(): void };

type Kind = 'webhook' | ChatTool;

/** The title and text of a chat endpoint's message template as the form shows them (the API answers the template untyped). */
function templateText(template: Record<string, unknown> | null | undefined, key: 'title' | 'text'): string {
  const value = template?.[key];
  return typeof value === 'string' ? value : '';
}

/**
 * Create or edit an endpoint: a webhook (its URL) or a chat endpoint (a chat
 * tool's incoming-webhook URL, or a Telegram bot and chat, and an optional
 * message template), with description, event types and an optional rate limit.
 * The API checks every field; its refusals are shown beside the input they
 * name. An edit sends only what changed, so settings this form does not show
 * (a custom burst, headers, a filter) stay as they are.
 */
export function EndpointForm(props: Props) {
  const { tenantId, endpoint } = props;
  const titleId = useId();
  const [kind, setKind] = useState<Kind>(endpoint?.chat?.tool ?? 'webhook');
  const isChat = kind !== 'webhook';
  const isTelegram = kind === 'telegram';
  const currentTemplate = endpoint?.chat?.template;
  // A chat endpoint's URL comes back masked: the field starts empty rather than offering the mask as if it were the URL.
  const [url, setUrl] = useState(endpoint && !endpoint.chat ? endpoint.url : '');
  const [botToken, setBotToken] = useState('');
  const [chatId, setChatId] = useState(endpoint?.chat?.telegramChatId ?? '');
  const [title, setTitle] = useState(templateText(currentTemplate, 'title'));
  const [text, setText] = useState(templateText(currentTemplate, 'text'));
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [eventTypes, setEventTypes] = useState(endpoint?.eventTypes.join(', ') ?? '');
  const [perSecond, setPerSecond] = useState(endpoint?.rateLimit ? String(endpoint.rateLimit.perSecond) : '');

  const mutation = useMutation({
    mutationFn: async (): Promise<CreatedEndpoint | Endpoint> => {
      const types = parseEventTypes(eventTypes);
      const rate = perSecond.trim() === '' ? null : { perSecond: Number(perSecond) };
      // Both empty: no template, so the API's default message.
      const template: ChatTemplate | null =
        title.trim() === '' && text.trim() === '' ? null : { text: text.trim(), ...(title.trim() ? { title: title.trim() } : {}) };
      if (!endpoint) {
        const body: CreateBody = { description: description.trim() };
        // Left out when empty for a chat tool, so the API's refusal names what is missing (the tool's incoming-webhook URL).
        if (kind === 'webhook' || (!isTelegram && url.trim() !== '')) body.url = url.trim();
        if (isChat) {
          body.chat = { tool: kind, ...(isTelegram ? { botToken: botToken.trim(), chatId: chatId.trim() } : {}), ...(template ? { template } : {}) };
        }
        // Left out, a webhook endpoint subscribes to every event type, a chat endpoint to none.
        if (types.length > 0) body.eventTypes = types;
        if (rate) body.rateLimit = rate;
        return unwrap(api.POST('/v1/tenants/{tenantId}/endpoints', { params: { path: { tenantId } }, body }));
      }
      const body: UpdateBody = {};
      if (!endpoint.chat) {
        if (url.trim() !== endpoint.url) body.url = url.trim();
      } else {
        // The URL or bot token is sent only when typed: left empty, the sealed one stays.
        if (!isTelegram && url.trim() !== '') body.url = url.trim();
        const chat: NonNullable<UpdateBody['chat']> = {};
        if (isTelegram && botToken.trim() !== '') chat.botToken = botToken.trim();
        if (isTelegram && chatId.trim() !== (endpoint.chat.telegramChatId ?? '')) chat.chatId = chatId.trim();
        if (title.trim() !== templateText(currentTemplate, 'title') || text.trim() !== templateText(currentTemplate, 'text')) {
          // The template replaces the whole one: keep the fields and link this form does not show (set through the API).
          if (template) {
            const merged: ChatTemplate = { ...(currentTemplate as Partial<ChatTemplate> | null), ...template };
            if (!template.title) delete merged.title;
            chat.template = merged;
          } else chat.template = null;
        }
        if (Object.keys(chat).length > 0) body.chat = chat;
      }
      if (description.trim() !== endpoint.description) body.description = description.trim();
      if (!sameList(types, endpoint.eventTypes)) body.eventTypes = types;
      if ((rate?.perSecond ?? null) !== (endpoint.rateLimit?.perSecond ?? null)) body.rateLimit = rate;
      return unwrap(api.PATCH('/v1/tenants/{tenantId}/endpoints/{id}', { params: { path: { tenantId, id: endpoint.id } }, body }));
    },
    onSuccess: (result) => {
      if (props.endpoint) props.onSaved(result as Endpoint);
      else props.onCreated(result as CreatedEndpoint);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  const error = mutation.error;
  const parsed = parseEventTypes(eventTypes);

  return (
    <form className="panel endpoints-form" onSubmit={submit} aria-labelledby={titleId} noValidate>
      <h2 id={titleId}>{endpoint ? 'Edit endpoint' : 'New endpoint'}</h2>
      {endpoint ? (
        <p className="endpoints-form-kind">
          <span className="endpoints-form-kind-label">Kind</span> {isChat ? <Badge tone="info">{CHAT_TOOL_LABELS[kind]}</Badge> : 'Webhook'}{' '}
          <span className="muted">(fixed once created)</span>
        </p>
      ) : (
        <Field
          label="Kind"
          name="chat.tool"
          error={error}
          hint={
            isChat ? 'A chat endpoint posts each event as a message to a chat tool.' : 'A webhook is a URL of yours that receives each event as a signed POST.'
          }
        >
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="webhook">Webhook</option>
              {CHAT_TOOLS.map((tool) => (
                <option key={tool} value={tool}>
                  {CHAT_TOOL_LABELS[tool]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {kind === 'webhook' ? (
        <Field label="URL" name="url" error={error} hint="Where Hookline POSTs each event, e.g. https://example.com/webhooks">
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://example.com/webhooks"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
      ) : kind === 'telegram' ? (
        <>
          <Field
            label="Bot token"
            name="chat.botToken"
            error={error}
            hint={
              endpoint
                ? 'Leave empty to keep the current token.'
                : 'From @BotFather (/newbot), e.g. 123456:ABC…; kept sealed and never shown again. Add the bot to the chat.'
            }
          >
            {(p) => <input {...p} type="password" autoComplete="off" spellCheck={false} value={botToken} onChange={(e) => setBotToken(e.target.value)} />}
          </Field>
          <Field label="Chat id" name="chat.chatId" error={error} hint="A numeric chat id (a group’s is negative, e.g. -1001234567890) or @channelusername.">
            {(p) => <input {...p} type="text" autoComplete="off" spellCheck={false} value={chatId} onChange={(e) => setChatId(e.target.value)} />}
          </Field>
        </>
      ) : (
        <Field
          label="Incoming webhook URL"
          name="url"
          error={error}
          hint={
            endpoint
              ? `Leave empty to keep the current URL (${endpoint.url}); it holds the tool’s token, so it is never shown.`
              : `${WEBHOOK_URL_HINTS[kind]} It holds the tool’s token: it is kept sealed and never shown again.`
          }
        >
          {(p) => <input {...p} type="text" inputMode="url" autoComplete="off" spellCheck={false} value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
      )}
      <Field label="Description" name="description" error={error} hint="Optional: what receives these events, for whoever reads this list later.">
        {(p) => <input {...p} type="text" value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field
        label="Event types"
        name="eventTypes"
        error={error}
        hint={
          <>
            Separated by commas: an exact type (<code>invoice.paid</code>), a prefix (<code>invoice.*</code>) or <code>*</code> for all.
            {isChat
              ? ' Optional: a chat endpoint subscribes to nothing unless given types here; rules post to it with a chat action.'
              : endpoint
                ? ''
                : ' Left empty, the endpoint receives every event type.'}
          </>
        }
      >
        {(p) => (
          <input
            {...p}
            type="text"
            spellCheck={false}
            placeholder="invoice.paid, invoice.*"
            value={eventTypes}
            onChange={(e) => setEventTypes(e.target.value)}
          />
        )}
      </Field>
      {parsed.length > 0 && (
        <div className="endpoints-form-preview">
          <span className="muted">Subscribes to:</span> <EventTypes types={parsed} />
        </div>
      )}
      {isChat && (
        <fieldset className="endpoints-form-template">
          <legend>Message template (optional)</legend>
          <p className="muted">
            <code>{'{{ path }}'}</code> puts in the event’s value at that path, e.g. <code>{'{{ data.customer.name }}'}</code>. Both empty, the message is the
            event type as title with the event’s id and time.
          </p>
          <Field label="Message title" name="chat.template.title" error={error}>
            {(p) => <input {...p} type="text" maxLength={256} spellCheck={false} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field label="Message text" name="chat.template.text" error={error}>
            {(p) => <textarea {...p} rows={3} maxLength={2000} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
        </fieldset>
      )}
      <Field
        label="Rate limit (deliveries per second)"
        name="rateLimit.perSecond"
        error={error}
        hint="Optional, 0.01 to 10,000; empty for no limit. The burst is the API’s default for the rate (the rate rounded up)."
      >
        {(p) => <input {...p} type="number" step="any" inputMode="decimal" value={perSecond} onChange={(e) => setPerSecond(e.target.value)} />}
      </Field>
      <FormActions
        submitLabel={endpoint ? 'Save changes' : 'Create endpoint'}
        pending={mutation.isPending}
        onCancel={props.onCancel}
        lockCancel
        error={error}
        errorTitle={endpoint ? 'The endpoint was not saved' : 'The endpoint was not created'}
      />
    </form>
  );
}
