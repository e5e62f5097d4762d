import { Badge } from '../../ui/display';
import type { EventTypeSummary } from './api';

/** What ingest does with a failing event, loud only when it does something. */
export function ModeBadge({ mode }: { mode: EventTypeSummary['schemaMode'] }) {
  if (mode === 'enforce') return <Badge tone="bad">enforce</Badge>;
  if (mode === 'warn') return <Badge tone="warn">warn</Badge>;
  return <span className="muted">off</span>;
}

export function SourceBadge({ source }: { source: EventTypeSummary['source'] }) {
  return source === 'custom' ? <Badge tone="info">Custom</Badge> : <Badge>Built-in</Badge>;
}
