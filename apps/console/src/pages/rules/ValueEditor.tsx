import { useId } from 'react';
import { LIST_OPS, NO_VALUE_OPS, type ComparisonValue, type FieldOption, type Operator, type Scalar } from './rule-model';

/**
 * The value a comparison compares with, in an input that fits the field:
 * a number input for numbers, a select of the values of an enum, true/false
 * for booleans, text otherwise; a list for `in` and `not_in`. A value whose
 * type differs from the field's is shown as it is (never converted: the
 * condition language compares types strictly) with a note saying so.
 */
export function ValueEditor({
  field,
  op,
  value,
  onChange,
}: {
  field: FieldOption | undefined;
  op: Operator;
  value: ComparisonValue;
  onChange(value: ComparisonValue): void;
}) {
  if (NO_VALUE_OPS.includes(op) && value === undefined) return null;
  if (LIST_OPS.includes(op) || Array.isArray(value)) {
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return field?.enum && list.every((v) => v === undefined || field.enum!.includes(v as Scalar) || typeof v === 'string') ? (
      <EnumChecklist options={field.enum} values={list} onChange={onChange} />
    ) : (
      <ListEditor field={field} values={list} onChange={onChange} />
    );
  }
  return <ScalarField label="Value" field={field} value={value} onChange={onChange} />;
}

function ScalarField({
  label,
  field,
  value,
  onChange,
}: {
  label: string;
  field: FieldOption | undefined;
  value: Scalar | undefined;
  onChange(v: Scalar | undefined): void;
}) {
  const id = useId();
  const note = mismatch(field, value);
  return (
    <div className="rules-value">
      <label htmlFor={id}>{label}</label>
      <ScalarInput id={id} field={field} value={value} onChange={onChange} describedBy={note ? `${id}-note` : undefined} />
      {note && (
        <small id={`${id}-note`} className="rules-note">
          {note}
        </small>
      )}
    </div>
  );
}

function ScalarInput({
  id,
  field,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  field: FieldOption | undefined;
  value: Scalar | undefined;
  onChange(v: Scalar | undefined): void;
  describedBy?: string;
}) {
  const numeric = field?.type === 'number' || field?.type === 'integer';
  const kind =
    typeof value === 'number' || (value === undefined && numeric)
      ? 'number'
      : typeof value === 'boolean' || (value === undefined && field?.type === 'boolean')
        ? 'boolean'
        : field?.enum && (value === undefined || field.enum.includes(value))
          ? 'enum'
          : 'text';
  if (kind === 'number') {
    return (
      <input
        id={id}
        type="number"
        step="any"
        aria-describedby={describedBy}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => {
          const n = e.target.valueAsNumber;
          onChange(e.target.value === '' || !Number.isFinite(n) ? undefined : n);
        }}
      />
    );
  }
  if (kind === 'boolean') {
    return (
      <select
        id={id}
        aria-describedby={describedBy}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}
      >
        <option value="">Choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  if (kind === 'enum') {
    const options = field!.enum!;
    return (
      <select
        id={id}
        aria-describedby={describedBy}
        value={value === undefined ? '' : String(options.indexOf(value))}
        onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)])}
      >
        <option value="">Choose…</option>
        {options.map((o, i) => (
          <option key={String(o)} value={String(i)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      id={id}
      type="text"
      aria-describedby={describedBy}
      value={typeof value === 'string' ? value : ''}
      placeholder={value === null ? 'null' : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** Why a value will never match the field's values, or null when it fits. */
function mismatch(field: FieldOption | undefined, value: Scalar | undefined): string | null {
  if (value === null) return 'null: holds for a missing or null value only (equals).';
  if (value === undefined || !field) return null;
  const numeric = field.type === 'number' || field.type === 'integer';
  if (numeric && typeof value === 'string') return 'This value is text; the field is a number, and a number never equals text.';
  if (field.type === 'boolean' && typeof value !== 'boolean') return 'This value is not true or false; the field is a boolean.';
  if (field.type === 'string' && typeof value !== 'string') return `This value is a ${typeof value}; the field is text.`;
  return null;
}

function EnumChecklist({ options, values, onChange }: { options: Scalar[]; values: (Scalar | undefined)[]; onChange(v: ComparisonValue): void }) {
  const extra = [...new Set(values.filter((v): v is Scalar => v !== undefined && !options.includes(v)))];
  const toggle = (option: Scalar) => onChange(values.includes(option) ? values.filter((v) => v !== option) : [...values, option]);
  return (
    <fieldset className="rules-checklist">
      <legend>Values</legend>
      {[...options, ...extra].map((o) => (
        <label key={String(o)} className="rules-check">
          <input type="checkbox" checked={values.includes(o)} onChange={() => toggle(o)} />
          {String(o)}
        </label>
      ))}
    </fieldset>
  );
}

function ListEditor({ field, values, onChange }: { field: FieldOption | undefined; values: (Scalar | undefined)[]; onChange(v: ComparisonValue): void }) {
  return (
    <fieldset className="rules-checklist">
      <legend>Values</legend>
      {values.map((v, i) => (
        <div className="row" key={i}>
          <ScalarField label={`Value ${i + 1}`} field={field} value={v} onChange={(next) => onChange(values.map((old, j) => (j === i ? next : old)))} />
          <button type="button" onClick={() => onChange(values.filter((_, j) => j !== i))}>
            Remove value {i + 1}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...values, undefined])}>
        Add value
      </button>
    </fieldset>
  );
}
