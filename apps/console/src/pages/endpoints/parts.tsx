import { CopyButton } from '../../ui/CopyButton';
import { Badge } from '../../ui/display';
import type { ChatTool, EndpointState } from './api';
import { CHAT_TOOL_LABELS } from './chat';

const TONES = { enabled: 'good', paused: 'warn', disabled: 'bad' } as const;
const LABELS = { enabled: 'Enabled', paused: 'Paused', disabled: 'Disabled' } as const;

function StateBadge({ state }: { state: EndpointState }) {
  return <Badge tone={TONES[state.state]}>{LABELS[state.state]}</Badge>;
}

/** Why an endpoint is not delivering, in words: who or what paused or disabled it, and the reason given. */
export function stateReason(state: EndpointState): string | null {
  if (state.state === 'enabled') return null;
  const verb = state.state === 'paused' ? 'Paused' : 'Disabled';
  switch (state.cause) {
    case 'gone':
      return `Disabled automatically: ${state.reason ?? 'the endpoint answered 410 Gone'}`;
    case 'failure_threshold':
      return `Disabled automatically after failures: ${state.reason ?? 'too many deliveries in a row failed'}`;
    case 'operator':
      return state.reason ? `${verb} by an operator: ${state.reason}` : `${verb} by an operator`;
    default:
      return state.state === 'disabled' ? 'Created disabled: nothing is delivered until it is enabled' : null;
  }
}

/** The state badge with its reason beside it (the list's and the header's form). */
export function StateSummary({ state }: { state: EndpointState }) {
  const reason = stateReason(state);
  return (
    <span className="endpoints-state">
      <StateBadge state={state} />
      {reason && <span className="endpoints-state-reason">{reason}</span>}
    </span>
  );
}

/** A secret on screen: monospace, wrapping, with its copy button. */
export function SecretValue({ value, label, copyLabel }: { value: string; label: string; copyLabel: string }) {
  return (
    <div className="endpoints-secret">
      <code aria-label={label}>{value}</code>
      <CopyButton value={value} label={copyLabel} />
    </div>
  );
}

/** Event types as small chips, or the one word for "everything". */
export function EventTypes({ types }: { types: string[] }) {
  if (types.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="endpoints-chips">
      {types.map((t) => (
        <li key={t}>
          <code>{t === '*' ? '* (all)' : t}</code>
        </li>
      ))}
    </ul>
  );
}

/** Which chat tool a chat endpoint posts to, beside its (masked) URL. */
export function ChatToolBadge({ tool }: { tool: ChatTool }) {
  return (
    <span className="endpoints-tool">
      <Badge tone="info">{CHAT_TOOL_LABELS[tool]}</Badge>
    </span>
  );
}
