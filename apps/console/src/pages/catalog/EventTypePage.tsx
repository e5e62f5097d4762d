import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, JsonBlock, PageHeader, formatTime } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { Field, FormActions } from '../../ui/form';
import {
  catalogKeys,
  exampleText,
  familyLabel,
  SCHEMA_MODES,
  useEventType,
  useEventTypeVersions,
  type EventType,
  type SchemaMode,
  type SettingsBody,
} from './api';
import { ModeBadge, SourceBadge } from './parts';
import { readSchemaAndExample, SchemaFields } from './schema-fields';

/** One event type: what it is, its schema and example, its versions, and (with catalog:write) its settings and a new version. */
export function EventTypePage() {
  const { name = '' } = useParams();
  const { tenantId, can } = useSession();
  const type = useEventType(tenantId, name);
  return (
    <>
      <p className="catalog-breadcrumb">
        <Link to="/catalog">Event catalog</Link> / <code>{name}</code>
      </p>
      {type.isPending && (
        <>
          <PageHeader title={name} />
          <Loading what="the event type" />
        </>
      )}
      {type.isError && (
        <>
          <PageHeader title={name} />
          {type.error instanceof ApiError && type.error.status === 404 ? (
            <Notice kind="warning">
              The tenant's catalog has no type named “{name}”. <Link to="/catalog">Browse the catalog</Link> to pick one, or create it there.
            </Notice>
          ) : (
            <ErrorNotice error={type.error} retry={() => void type.refetch()} />
          )}
        </>
      )}
      {type.isSuccess && (
        // Keyed by the type, so a form left open on one type never shows on the next.
        <Fragment key={type.data.name}>
          <PageHeader title={type.data.name} description={type.data.description || undefined}>
            {can('endpoints:write') && (
              <Link className="button" to={`/test?eventType=${encodeURIComponent(type.data.name)}`}>
                Try it in test mode
              </Link>
            )}
          </PageHeader>
          <About type={type.data} />
          {can('catalog:write') && <Settings type={type.data} tenantId={tenantId} />}
          <SchemaSection type={type.data} tenantId={tenantId} canWrite={can('catalog:write')} />
          <Versions tenantId={tenantId} name={type.data.name} />
        </Fragment>
      )}
    </>
  );
}

function About({ type }: { type: EventType }) {
  return (
    <section className="panel catalog-panel" aria-labelledby="catalog-about">
      <h2 id="catalog-about">About</h2>
      {type.deprecated && <Notice kind="warning">Deprecated: producers should stop sending it. Events of this type are still accepted and delivered.</Notice>}
      <dl className="facts">
        <dt>Source</dt>
        <dd>
          <SourceBadge source={type.source} />{' '}
          {type.source === 'builtin' ? 'Hookline ships it; its schema changes only with a release.' : 'The tenant’s own type.'}
        </dd>
        <dt>Family</dt>
        <dd>{familyLabel(type.group)}</dd>
        <dt>Version</dt>
        <dd>v{type.version}</dd>
        <dt>Schema mode</dt>
        <dd>
          <ModeBadge mode={type.schemaMode} /> <span className="muted">{SCHEMA_MODES.find((m) => m.value === type.schemaMode)?.hint}</span>
        </dd>
        <dt>Status</dt>
        <dd>{type.deprecated ? <Badge tone="warn">Deprecated</Badge> : <Badge tone="good">Current</Badge>}</dd>
        {type.createdAt && (
          <>
            <dt>Created</dt>
            <dd>{formatTime(type.createdAt)}</dd>
          </>
        )}
        <dt>Updated</dt>
        <dd>{formatTime(type.updatedAt)}</dd>
      </dl>
    </section>
  );
}

/** The tenant's settings of the type, on a built-in type as on its own: the schema mode and the deprecated flag. */
function Settings({ type, tenantId }: { type: EventType; tenantId: string }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<SchemaMode>(type.schemaMode);
  const change = useMutation({
    mutationFn: (body: SettingsBody) =>
      unwrap(api.PATCH('/v1/tenants/{tenantId}/event-types/{name}', { params: { path: { tenantId, name: type.name } }, body })),
    onSuccess: (saved) => {
      setMode(saved.schemaMode);
      queryClient.setQueryData(catalogKeys.one(tenantId, type.name), saved);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.list(tenantId) });
    },
  });
  const done = change.isSuccess ? settled(change.variables, change.data) : null;
  const saveMode = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ schemaMode: mode });
  };
  return (
    <section className="panel catalog-panel" aria-labelledby="catalog-settings">
      <h2 id="catalog-settings">Settings</h2>
      <form onSubmit={saveMode} noValidate>
        <Field label="Schema mode" name="schemaMode" error={change.error} hint={SCHEMA_MODES.find((m) => m.value === mode)?.hint}>
          {(p) => (
            <div className="row">
              <select {...p} value={mode} onChange={(e) => setMode(e.target.value as SchemaMode)}>
                {SCHEMA_MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={change.isPending || mode === type.schemaMode}>
                Save schema mode
              </button>
            </div>
          )}
        </Field>
      </form>
      <div className="row">
        {type.deprecated ? (
          <button type="button" disabled={change.isPending} onClick={() => change.mutate({ deprecated: false })}>
            Restore
          </button>
        ) : (
          <button type="button" className="danger" disabled={change.isPending} onClick={() => change.mutate({ deprecated: true })}>
            Deprecate
          </button>
        )}
        <span className="muted">
          {type.deprecated
            ? 'Marks the type current again.'
            : 'Marks the type as one to stop sending; it stays in the catalog and events of it are still delivered.'}
        </span>
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      {change.isError && <ErrorNotice error={change.error} title="The settings were not saved" />}
    </section>
  );
}

/** What a saved change means, said once it is saved. */
function settled(asked: SettingsBody, saved: EventType): string {
  if (asked.deprecated === true) return 'Deprecated.';
  if (asked.deprecated === false) return 'Restored: the type is current again.';
  const hint = SCHEMA_MODES.find((m) => m.value === saved.schemaMode)?.hint;
  return `Schema mode ${saved.schemaMode}: ${hint ?? ''}, from now on.`;
}

function SchemaSection({ type, tenantId, canWrite }: { type: EventType; tenantId: string; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const custom = type.source === 'custom';
  return (
    <section className="panel catalog-panel" aria-labelledby="catalog-schema">
      <div className="catalog-section-head">
        <h2 id="catalog-schema">Schema (v{type.version})</h2>
        {custom && canWrite && !editing && (
          <button
            type="button"
            onClick={() => {
              setEditing(true);
              setSaved(null);
            }}
          >
            New version
          </button>
        )}
      </div>
      {saved && <Notice kind="success">{saved}</Notice>}
      {editing ? (
        <NewVersionForm
          type={type}
          tenantId={tenantId}
          onDone={(message) => {
            setEditing(false);
            setSaved(message);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="grid-2">
          <div>
            <h3>JSON Schema of the data</h3>
            <JsonBlock value={type.schema} label={`Schema of ${type.name}`} />
          </div>
          <div>
            <h3>Example</h3>
            {type.example ? (
              <JsonBlock value={type.example} label={`Example of ${type.name}`} />
            ) : (
              <p className="muted">No example: a test send of this type needs a payload.</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** A custom type's next version: a different schema becomes v+1, which ingest checks events against from the answer on. */
function NewVersionForm({ type, tenantId, onDone, onCancel }: { type: EventType; tenantId: string; onDone(message: string): void; onCancel(): void }) {
  const queryClient = useQueryClient();
  const [description, setDescription] = useState(type.description);
  const [schemaText, setSchemaText] = useState(() => JSON.stringify(type.schema, null, 2));
  const [example, setExample] = useState(() => (type.example ? exampleText(type.example) : ''));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/v1/tenants/{tenantId}/event-types/{name}', {
          params: { path: { tenantId, name: type.name } },
          body: { description: description.trim(), ...readSchemaAndExample(schemaText, example) },
        }),
      ),
    onSuccess: (answer) => {
      queryClient.setQueryData(catalogKeys.one(tenantId, type.name), answer);
      void queryClient.invalidateQueries({ queryKey: catalogKeys.all(tenantId) });
      onDone(
        answer.version > type.version
          ? `Saved as version ${answer.version}: ingest checks new events against it.`
          : `Saved. The schema did not change, so it is still version ${answer.version}.`,
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <p className="muted">
        A different schema becomes version {type.version + 1}; the old versions stay listed. The same schema only updates the description and example.
      </p>
      <Field label="Description" name="description" error={save.error}>
        {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1024} />}
      </Field>
      <SchemaFields schemaText={schemaText} exampleText={example} onSchemaChange={setSchemaText} onExampleChange={setExample} error={save.error} />
      <FormActions submitLabel="Save new version" pending={save.isPending} onCancel={onCancel} error={save.error} errorTitle="The new version was not saved" />
    </form>
  );
}

function Versions({ tenantId, name }: { tenantId: string; name: string }) {
  const versions = useEventTypeVersions(tenantId, name);
  return (
    <section className="panel catalog-panel" aria-labelledby="catalog-versions">
      <h2 id="catalog-versions">Versions</h2>
      {versions.isPending && <Loading what="the versions" />}
      {versions.isError && <ErrorNotice error={versions.error} retry={() => void versions.refetch()} />}
      {versions.isSuccess &&
        (versions.data.length === 0 ? (
          <EmptyState title="No versions listed">The API listed no schema version for this type; reload the page to ask again.</EmptyState>
        ) : (
          <ol className="catalog-versions" reversed>
            {versions.data.map((v, i) => (
              <li key={v.version}>
                <details>
                  <summary>
                    <strong>Version {v.version}</strong> {i === 0 && <Badge tone="good">newest</Badge>}{' '}
                    <span className="muted">{v.createdAt ? formatTime(v.createdAt) : 'built in'}</span>
                    {v.description && <span className="catalog-version-description"> — {v.description}</span>}
                  </summary>
                  <div className="grid-2">
                    <div>
                      <h3>Schema</h3>
                      <JsonBlock value={v.schema} label={`Schema of version ${v.version}`} />
                    </div>
                    <div>
                      <h3>Example</h3>
                      {v.example ? <JsonBlock value={v.example} label={`Example of version ${v.version}`} /> : <p className="muted">No example.</p>}
                    </div>
                  </div>
                </details>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}
