import { useMemo } from 'react';
import { ApiError } from '../../api/client';
import { JsonEditor } from '../../ui/JsonEditor';
import { isJsonObject, issueUnder } from './api';

/** A new type's starting point: a schema in the dialect the API takes, and an example that passes it. */
export const SCHEMA_TEMPLATE = JSON.stringify(
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { id: { type: 'string', description: 'The id of the thing the event is about.' } },
    required: ['id'],
  },
  null,
  2,
);
export const EXAMPLE_TEMPLATE = JSON.stringify({ id: 'obj_1042' }, null, 2);

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The schema and example as the API takes them: the schema a JSON object,
 * the example a JSON object or, left blank, none. A mistake is reported as
 * the API reports one (an issue on the field), so it shows beside its editor.
 */
export function readSchemaAndExample(schemaText: string, exampleText: string): { schema: Record<string, unknown>; example: Record<string, unknown> | null } {
  const schema = parsed(schemaText);
  if (!isJsonObject(schema)) throw new ApiError(400, 'invalid_json', 'schema: must be a JSON object', [{ field: 'schema', rule: 'must be a JSON object' }]);
  if (exampleText.trim() === '') return { schema, example: null };
  const example = parsed(exampleText);
  if (!isJsonObject(example))
    throw new ApiError(400, 'invalid_json', 'example: must be a JSON object, or left blank', [
      { field: 'example', rule: 'must be a JSON object, or left blank' },
    ]);
  return { schema, example };
}

/** The schema editor and the example editor, the example checked against the schema as it is typed. */
export function SchemaFields({
  schemaText,
  exampleText,
  onSchemaChange,
  onExampleChange,
  error,
}: {
  schemaText: string;
  exampleText: string;
  onSchemaChange(text: string): void;
  onExampleChange(text: string): void;
  error: unknown;
}) {
  // Only a schema that is a JSON object can check anything; while it is mid-edit the example is shown unchecked.
  const schema = useMemo(() => {
    const value = parsed(schemaText);
    return isJsonObject(value) ? value : undefined;
  }, [schemaText]);
  return (
    <>
      <JsonEditor
        label="JSON Schema"
        value={schemaText}
        onChange={onSchemaChange}
        hint="JSON Schema 2020-12 of the event's data: no unknown keywords, no remote $ref, patterns in RE2 syntax, at most 64 KiB."
        error={issueUnder(error, 'schema')}
      />
      <JsonEditor
        label="Example payload"
        value={exampleText}
        onChange={onExampleChange}
        schema={schema}
        optional
        hint="A data object that matches the schema; test sends of this type use it when given no payload. Leave blank for none."
        error={issueUnder(error, 'example')}
      />
    </>
  );
}
