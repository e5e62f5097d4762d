import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../session/session';
import { Badge, PageHeader } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { familyLabel, useEventTypes, type EventTypeSummary } from './api';
import { NewEventTypeForm } from './NewEventTypeForm';
import { ModeBadge, SourceBadge } from './parts';
import { DataTable } from '../../ui/table';

// A family this large (the inbound types of every provider) reads better split by its second word, the provider.
const SPLIT_OVER = 20;

interface Family {
  group: string;
  parts: { prefix: string | null; types: EventTypeSummary[] }[];
  count: number;
}

/** The catalog as families (`group`), by name; a large family in parts by the name's first two words. */
function familiesOf(types: EventTypeSummary[]): Family[] {
  const byGroup = new Map<string, EventTypeSummary[]>();
  for (const t of [...types].sort((a, b) => a.name.localeCompare(b.name))) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, members]) => {
      if (members.length <= SPLIT_OVER) return { group, parts: [{ prefix: null, types: members }], count: members.length };
      const byPrefix = new Map<string, EventTypeSummary[]>();
      for (const t of members) {
        const prefix = t.name.split('.').slice(0, 2).join('.');
        byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), t]);
      }
      return { group, parts: [...byPrefix.entries()].map(([prefix, list]) => ({ prefix, types: list })), count: members.length };
    });
}

function matches(t: EventTypeSummary, words: string[]): boolean {
  const text = `${t.name} ${t.description} ${t.group}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** Every event type of the tenant, by family, with a search and a form for a type of its own. */
export function CatalogPage() {
  const { tenantId, can } = useSession();
  const [creating, setCreating] = useState(false);
  const types = useEventTypes(tenantId);
  // Kept in the page, not the URL: the router applies URL changes in a transition, which a controlled search box would lag behind.
  const [search, setSearch] = useState('');
  const [family, setFamily] = useState('');
  const [source, setSource] = useState('');
  const clear = () => {
    setSearch('');
    setFamily('');
    setSource('');
  };

  const all = useMemo(() => familiesOf(types.data ?? []), [types.data]);
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return familiesOf((types.data ?? []).filter((t) => (!family || t.group === family) && (!source || t.source === source) && matches(t, words)));
  }, [types.data, search, family, source]);
  const shownCount = shown.reduce((n, f) => n + f.count, 0);

  return (
    <>
      <PageHeader
        title="Event catalog"
        description="Every event type the tenant can send: Hookline's built-in types and the tenant's own. Each has a JSON Schema of its data, an example, a version and a schema mode."
      >
        {can('catalog:write') && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New event type
          </button>
        )}
      </PageHeader>

      {creating && <NewEventTypeForm tenantId={tenantId} onCancel={() => setCreating(false)} />}

      <div role="search" className="catalog-filters panel" aria-label="Filter the catalog">
        <div className="field">
          <label htmlFor="catalog-search">Search</label>
          <input id="catalog-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. invoice, github push" />
        </div>
        <div className="field">
          <label htmlFor="catalog-family">Family</label>
          <select id="catalog-family" value={family} onChange={(e) => setFamily(e.target.value)}>
            <option value="">All families</option>
            {all.map((f) => (
              <option key={f.group} value={f.group}>
                {familyLabel(f.group)} ({f.count})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="catalog-source">Source</label>
          <select id="catalog-source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">Built-in and custom</option>
            <option value="builtin">Built-in</option>
            <option value="custom">Custom</option>
          </select>
        </div>
      </div>

      {types.isPending && <Loading what="the event catalog" />}
      {types.isError && <ErrorNotice error={types.error} retry={() => void types.refetch()} />}
      {types.isSuccess && (
        <section aria-labelledby="catalog-types">
          <h2 id="catalog-types">Event types</h2>
          <p className="muted" role="status">
            {shownCount === types.data.length ? `${types.data.length} types` : `${shownCount} of ${types.data.length} types shown`}
          </p>
          {shown.length === 0 ? (
            <NothingFound search={search} custom={source === 'custom'} onClear={clear} />
          ) : (
            shown.map((f) => <FamilySection key={f.group} family={f} />)
          )}
        </section>
      )}
    </>
  );
}

function NothingFound({ search, custom, onClear }: { search: string; custom: boolean; onClear(): void }) {
  const { can } = useSession();
  if (custom && !search)
    return (
      <EmptyState
        title="No custom event types yet"
        action={
          <button type="button" onClick={onClear}>
            Show every type
          </button>
        }
      >
        {can('catalog:write')
          ? 'Describe an event of your own with “New event type”: its name, a JSON Schema of its data and an example.'
          : 'A key with catalog:write can add the tenant’s own types.'}
      </EmptyState>
    );
  return (
    <EmptyState
      title={search ? `No event type matches “${search}”` : 'No event type matches these filters'}
      action={
        <button type="button" onClick={onClear}>
          Clear search and filters
        </button>
      }
    >
      Try fewer or other words (names, descriptions and families are searched), or another family.
    </EmptyState>
  );
}

function FamilySection({ family }: { family: Family }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} className="catalog-family">
        {familyLabel(family.group)} <span className="muted">({family.count})</span>
      </h3>
      {family.parts.map((part) =>
        part.prefix ? (
          <section key={part.prefix} aria-label={part.prefix}>
            <h4>
              <code>{part.prefix}.*</code>
            </h4>
            <TypeTable types={part.types} />
          </section>
        ) : (
          <TypeTable key="all" types={part.types} />
        ),
      )}
    </section>
  );
}

function TypeTable({ types }: { types: EventTypeSummary[] }) {
  return (
    <DataTable columns={['Name', 'Description', 'Version', 'Schema mode', 'Source']} wrapClassName="catalog-table">
      {types.map((t) => (
        <tr key={t.name}>
          <td className="catalog-name">
            <Link to={`/catalog/${encodeURIComponent(t.name)}`}>
              <code>{t.name}</code>
            </Link>
            {t.deprecated && (
              <>
                {' '}
                <Badge tone="warn">Deprecated</Badge>
              </>
            )}
          </td>
          <td>{t.description || <span className="muted">—</span>}</td>
          <td>v{t.version}</td>
          <td>
            <ModeBadge mode={t.schemaMode} />
          </td>
          <td>
            <SourceBadge source={t.source} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
