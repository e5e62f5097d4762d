import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Field, FormActions } from '../../ui/form';
import { catalogKeys, SCHEMA_MODES, withNameIssue, type SchemaMode } from './api';
import { EXAMPLE_TEMPLATE, readSchemaAndExample, SCHEMA_TEMPLATE, SchemaFields } from './schema-fields';

/** A type of the tenant's own, at version 1; once created, its page opens. */
export function NewEventTypeForm({ tenantId, onCancel }: { tenantId: string; onCancel(): void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [schemaMode, setSchemaMode] = useState<SchemaMode>('off');
  const [schemaText, setSchemaText] = useState(SCHEMA_TEMPLATE);
  const [exampleText, setExampleText] = useState(EXAMPLE_TEMPLATE);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/tenants/{tenantId}/event-types', {
          params: { path: { tenantId } },
          body: { name: name.trim(), description: description.trim(), schemaMode, ...readSchemaAndExample(schemaText, exampleText) },
        }),
      ),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: catalogKeys.all(tenantId) });
      void navigate(`/catalog/${encodeURIComponent(created.name)}`);
    },
  });
  const error = withNameIssue(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel catalog-panel" aria-labelledby="catalog-new-heading">
      <h2 id="catalog-new-heading">New event type</h2>
      <form onSubmit={submit} noValidate>
        <div className="catalog-form-row">
          <Field label="Name" name="name" error={error} hint="Dot-separated lowercase words, e.g. order.shipped; not a built-in type's name.">
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} required />}
          </Field>
          <Field label="Schema mode" name="schemaMode" error={error} hint={SCHEMA_MODES.find((m) => m.value === schemaMode)?.hint}>
            {(p) => (
              <select {...p} value={schemaMode} onChange={(e) => setSchemaMode(e.target.value as SchemaMode)}>
                {SCHEMA_MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field label="Description" name="description" error={error} hint="What happened, for the people who subscribe to it.">
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1024} />}
        </Field>
        <SchemaFields schemaText={schemaText} exampleText={exampleText} onSchemaChange={setSchemaText} onExampleChange={setExampleText} error={error} />
        <FormActions
          submitLabel="Create event type"
          busyLabel="Creating…"
          pending={create.isPending}
          onCancel={onCancel}
          error={create.isError ? error : null}
          errorTitle="The event type was not created"
        />
      </form>
    </section>
  );
}
