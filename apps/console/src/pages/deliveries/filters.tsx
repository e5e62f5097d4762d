import { useState, type FormEvent } from 'react';
import { Field } from '../../ui/form';
import { fromLocalInput, STATUSES, toLocalInput, useEndpointList, type DeliveryStatus } from './model';

/** The log's filters, named as the API names them, so a console URL reads like the API query it sends. */
export interface Filters {
  endpointId?: string;
  eventType?: string;
  status?: DeliveryStatus;
  since?: string;
  until?: string;
  eventId?: string;
  mode?: 'test';
}

const KEYS = ['endpointId', 'eventType', 'status', 'since', 'until', 'eventId', 'mode'] as const;

export function readFilters(params: URLSearchParams): Filters {
  const filters: Record<string, string> = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  // A bad value is passed on as is: the API's 400 names it, which says more than silently dropping it.
  return filters as Filters;
}

export function filterParams(filters: Filters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
}

export function hasFilters(filters: Filters): boolean {
  return Object.keys(filterParams(filters)).length > 0;
}

const QUICK_RANGES = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last day', ms: 86_400_000 },
  { label: 'Last week', ms: 604_800_000 },
];

interface Draft {
  endpointId: string;
  eventType: string;
  status: string;
  since: string;
  until: string;
  eventId: string;
  mode: string;
}

/**
 * The filter form. It edits a draft and writes the URL only when applied, so
 * typing does not send a query per keystroke; it is remounted (by its key)
 * whenever the URL changes, which keeps the draft equal to the URL.
 */
export function FilterForm({ filters, error, onApply }: { filters: Filters; error: unknown; onApply(next: Filters): void }) {
  const [draft, setDraft] = useState<Draft>({
    endpointId: filters.endpointId ?? '',
    eventType: filters.eventType ?? '',
    status: filters.status ?? '',
    since: toLocalInput(filters.since),
    until: toLocalInput(filters.until),
    eventId: filters.eventId ?? '',
    mode: filters.mode ?? '',
  });
  const set = (key: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value });

  // An untouched time keeps the URL's exact instant (the input shows it to the minute only).
  const instant = (local: string, current: string | undefined) => (local === toLocalInput(current) ? current : (fromLocalInput(local) ?? local));
  const toFilters = (): Filters => ({
    endpointId: draft.endpointId.trim(),
    eventType: draft.eventType.trim(),
    status: draft.status as DeliveryStatus,
    since: instant(draft.since, filters.since),
    until: instant(draft.until, filters.until),
    eventId: draft.eventId.trim(),
    mode: draft.mode === 'test' ? 'test' : undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(toFilters());
  };
  const quick = (ms: number) => onApply({ ...toFilters(), since: new Date(Date.now() - ms).toISOString(), until: undefined });

  return (
    <form className="panel deliveries-panel" onSubmit={submit} aria-labelledby="deliveries-filters-title">
      <h2 id="deliveries-filters-title">Filters</h2>
      <div className="deliveries-filter-grid">
        <div className="deliveries-wide">
          <Field label="Endpoint" name="endpointId" error={error}>
            {(p) => <EndpointSelect {...p} value={draft.endpointId} onChange={set('endpointId')} />}
          </Field>
        </div>
        <Field label="Event type" name="eventType" error={error}>
          {(p) => <input {...p} value={draft.eventType} onChange={set('eventType')} placeholder="invoice.paid" />}
        </Field>
        <Field label="Status" name="status" error={error}>
          {(p) => (
            <select {...p} value={draft.status} onChange={set('status')}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Mode" name="mode" error={error} hint="Test sends are listed apart.">
          {(p) => (
            <select {...p} value={draft.mode} onChange={set('mode')}>
              <option value="">Live deliveries</option>
              <option value="test">Test sends</option>
            </select>
          )}
        </Field>
        <Field label="Event id" name="eventId" error={error}>
          {(p) => <input {...p} value={draft.eventId} onChange={set('eventId')} placeholder="evt_…" />}
        </Field>
        <div className="deliveries-wide">
          <Field label="From" name="since" error={error}>
            {(p) => <input {...p} type="datetime-local" value={draft.since} onChange={set('since')} />}
          </Field>
        </div>
        <div className="deliveries-wide">
          <Field label="To" name="until" error={error}>
            {(p) => <input {...p} type="datetime-local" value={draft.until} onChange={set('until')} />}
          </Field>
        </div>
      </div>
      <div className="row deliveries-filter-actions">
        <div className="row">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={() => onApply({})}>
            Clear filters
          </button>
        </div>
        <div className="row" role="group" aria-label="Quick time range">
          {QUICK_RANGES.map((r) => (
            <button key={r.label} type="button" onClick={() => quick(r.ms)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
    </form>
  );
}

/** The tenant's endpoints by URL; a plain id input when the key may not list endpoints or the list failed. */
function EndpointSelect({
  value,
  onChange,
  ...props
}: {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
  value: string;
  onChange(event: { target: { value: string } }): void;
}) {
  const endpoints = useEndpointList();
  if (!endpoints.isEnabled || endpoints.isError) return <input {...props} value={value} onChange={onChange} placeholder="endpoint id (UUID)" />;
  const list = endpoints.data ?? [];
  const urlCount = new Map<string, number>();
  for (const e of list) urlCount.set(e.url, (urlCount.get(e.url) ?? 0) + 1);
  return (
    <select {...props} value={value} onChange={onChange} disabled={endpoints.isPending}>
      <option value="">{endpoints.isPending ? 'Loading endpoints…' : 'All endpoints'}</option>
      {value && !endpoints.isPending && !list.some((e) => e.id === value) && <option value={value}>{value} (not found)</option>}
      {list.map((e) => (
        <option key={e.id} value={e.id}>
          {/* Two endpoints may share a URL: their description tells them apart. */}
          {(urlCount.get(e.url) ?? 0) > 1 && e.description ? `${e.url} (${e.description})` : e.url}
        </option>
      ))}
    </select>
  );
}
