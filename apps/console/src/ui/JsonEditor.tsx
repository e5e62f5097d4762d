import { Validator, type Schema } from '@cfworker/json-schema';
import { json } from '@codemirror/lang-json';
import { EditorView, useCodeMirror } from '@uiw/react-codemirror';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** One thing wrong with the text: where (a JSON pointer, `''` for the whole document) and why. */
export interface JsonIssue {
  pointer: string;
  message: string;
}

/** The text read as JSON and checked against a schema: the value when it parses, and what is wrong with it. */
export interface JsonCheck {
  /** Whether the text is JSON at all; `value` is meaningful only then. */
  parsed: boolean;
  value: unknown;
  /** Why the text is not JSON (empty when it is). */
  parseError: string | null;
  /** What breaks the schema (empty without a schema or when the text is not JSON). */
  violations: JsonIssue[];
  /** Why the schema itself could not be used to check (e.g. a `$ref` that names a document elsewhere). */
  schemaError: string | null;
}

// Keywords that only report "a subschema failed"; the subschema's own error, listed after them, says what
// (for `additionalProperties: false`, a "false" error at the property itself).
const WRAPPERS = new Set([
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
  'allOf',
  'then',
  'else',
  'dependentSchemas',
]);
// Keywords whose own error says it all: what failed inside them (each branch of an anyOf, each item a contains
// rejected) is no violation by itself, and listing it would read as if every branch were required.
const SUMMARIES = new Set(['anyOf', 'oneOf', 'not', 'if', 'contains', 'propertyNames']);
// Keywords followed by a name of the schema's own, not by a keyword (`properties/contains` is a property).
const NAMED = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);

/** Whether an error comes from inside a summarising keyword, read from its keyword location (`#/anyOf/1/required`). */
function insideSummary(keywordLocation: string): boolean {
  const parts = keywordLocation.replace(/^#\/?/, '').split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    if (NAMED.has(parts[i])) i++;
    else if (SUMMARIES.has(parts[i])) return true;
  }
  return false;
}

/** How a pointer reads in a list: the empty pointer is the whole document. */
const shown = (pointer: string) => pointer || '(root)';
// Beyond this, a list of violations helps nobody: the first ones are fixed first.
const MAX_VIOLATIONS = 50;

function pointerOf(instanceLocation: string): string {
  const raw = instanceLocation.replace(/^#/, '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Reads `text` as JSON and checks it against `schema` (JSON Schema 2020-12), with every violation's JSON pointer. */
export function checkJson(text: string, schema?: object): JsonCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { parsed: false, value: undefined, parseError: (error as Error).message, violations: [], schemaError: null };
  }
  if (!schema) return { parsed: true, value, parseError: null, violations: [], schemaError: null };
  try {
    // shortCircuit off: every violation, not just the first.
    const result = new Validator(schema as Schema, '2020-12', false).validate(value);
    const violations: JsonIssue[] = [];
    for (const error of result.errors) {
      if (WRAPPERS.has(error.keyword) || insideSummary(error.keywordLocation)) continue;
      const pointer = pointerOf(error.instanceLocation);
      if (error.keyword === 'required') {
        // Named at the missing property, as ingest names it ("/customer/name: is required").
        const missing = /property "(.*)"/.exec(error.error)?.[1];
        const token = missing?.replace(/~/g, '~0').replace(/\//g, '~1');
        violations.push(token === undefined ? { pointer, message: error.error } : { pointer: `${pointer}/${token}`, message: 'is required' });
      } else if (error.keyword === 'false') {
        violations.push({ pointer, message: 'is not allowed here' });
      } else {
        violations.push({ pointer, message: error.error });
      }
      if (violations.length === MAX_VIOLATIONS) break;
    }
    return { parsed: true, value, parseError: null, violations, schemaError: null };
  } catch (error) {
    // The validator's message goes on to list every schema it knows; its first line says what is wrong.
    return { parsed: true, value, parseError: null, violations: [], schemaError: (error as Error).message.split('\n')[0] };
  }
}

export interface JsonEditorProps {
  /** The JSON text (controlled). */
  value: string;
  onChange(value: string): void;
  /** A JSON Schema (2020-12) the value is checked against as it is typed. */
  schema?: object;
  /** The editor's accessible name (the aria-label of its editable element), also shown above it. */
  label: string;
  /** The id of the editor's outer element, for links and tests. */
  id?: string;
  /** A line under the label: what to type. */
  hint?: string;
  /** A rule the API named for this field, shown inline like `Field`'s. */
  error?: string;
  /** Blank text is allowed (it means "none") and reported as nothing wrong. */
  optional?: boolean;
}

const BLANK: JsonCheck = { parsed: true, value: undefined, parseError: null, violations: [], schemaError: null };

// Inside the editor's shadow root, where the page's stylesheet does not reach: its frame and focus ring, as the page's inputs have.
const frame = EditorView.theme({
  '&': { border: '1px solid #8a94a3', borderRadius: '6px', backgroundColor: '#fff', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '3px solid #f0a500', outlineOffset: '2px' },
  '.cm-gutters': { borderTopLeftRadius: '6px', borderBottomLeftRadius: '6px' },
});
const DESCRIPTION_ID = 'json-editor-description';

interface Shadow {
  root: ShadowRoot;
  container: HTMLDivElement;
  description: HTMLDivElement;
}

/**
 * A JSON text editor (CodeMirror) with its label, and the text's parse error
 * or schema violations listed under it, each at its JSON pointer.
 *
 * The editor lives in a shadow root of its own: CodeMirror writes its styles
 * into a `<style>` element when mounted in the document, which the console's
 * Content-Security-Policy (`style-src 'self'`) refuses, and into a
 * constructed stylesheet when mounted in a shadow root, which it allows.
 *
 * Tab moves focus on (it does not indent: Enter does), so the editor never
 * traps the keyboard.
 */
export function JsonEditor({ value, onChange, schema, label, id, hint, error, optional = false }: JsonEditorProps) {
  const check = useMemo(() => (optional && value.trim() === '' ? BLANK : checkJson(value, schema)), [value, schema, optional]);
  const problems = !check.parsed || check.violations.length > 0 || error !== undefined;

  const [shadow, setShadow] = useState<Shadow | null>(null);
  const host = useCallback((el: HTMLDivElement | null) => {
    if (!el || el.shadowRoot) return;
    const root = el.attachShadow({ mode: 'open' });
    const container = document.createElement('div');
    // ARIA references do not cross a shadow boundary: the description the editor points at is a hidden copy inside it.
    const description = document.createElement('div');
    description.id = DESCRIPTION_ID;
    description.hidden = true;
    root.append(container, description);
    setShadow({ root, container, description });
  }, []);

  const described = [
    hint,
    error,
    check.parseError && `Not valid JSON: ${check.parseError}`,
    ...check.violations.map((v) => `${shown(v.pointer)}: ${v.message}`),
  ]
    .filter((line): line is string => Boolean(line))
    .map((line) => (/[.!?]$/.test(line) ? line : `${line}.`))
    .join(' ');
  useEffect(() => {
    if (shadow) shadow.description.textContent = described;
  }, [shadow, described]);

  // The editor is reconfigured whenever its onChange changes; the parent's callback is read through a ref so it never does.
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);
  const change = useCallback((text: string) => latest.current(text), []);

  const extensions = useMemo(
    () => [
      json(),
      EditorView.lineWrapping,
      frame,
      EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': label, 'aria-describedby': DESCRIPTION_ID, 'aria-invalid': problems ? 'true' : 'false' }),
    ],
    [label, problems],
  );
  const { view } = useCodeMirror({
    container: shadow?.container,
    root: shadow?.root,
    value,
    onChange: change,
    extensions,
    indentWithTab: false,
    basicSetup: { autocompletion: false },
    minHeight: '8rem',
    maxHeight: '28rem',
  });

  return (
    <div className="field" id={id}>
      {/* Not a <label>: the editable element is a contenteditable div, which a label cannot name; it carries aria-label instead. */}
      <span style={{ fontWeight: 600 }} onClick={() => view?.focus()}>
        {label}
      </span>
      {hint && <small className="hint">{hint}</small>}
      <div ref={host} />
      {error && <p className="field-error">{error}</p>}
      {check.parseError && <p className="field-error">Not valid JSON: {check.parseError}</p>}
      {check.schemaError && <p className="muted">The schema cannot check this yet: {check.schemaError}</p>}
      {check.violations.length > 0 && (
        <div>
          <p className="field-error">Does not match the schema:</p>
          <ul>
            {check.violations.map((v, i) => (
              <li key={`${i}:${v.pointer}`}>
                <code>{shown(v.pointer)}</code>: {v.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
