import { createAjv } from '../schema/json-schema';
import { BUILTIN_EVENT_TYPES, builtinEventType, type BuiltinEventType } from './index';

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const FAMILIES = [
  'billing',
  'tickets',
  'customers',
  'licenses',
  'chat',
  'incidents',
  'clients',
  'projects',
  'tasks',
  'time_entries',
  'surveys',
  'hookline',
  'inbound',
];
/** Providers' callbacks: every field declared, none required (providers leave fields out as they please). */
const describesOnly = (type: BuiltinEventType) => type.group === 'inbound';

const ajv = createAjv();
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
/** The compiled schema of a type, compiled once. */
function validatorOf(type: BuiltinEventType) {
  let validate = validators.get(type.name);
  if (!validate) {
    validate = ajv.compile(type.schema);
    validators.set(type.name, validate);
  }
  return validate;
}

const requiredOf = (type: BuiltinEventType): string[] => (Array.isArray(type.schema.required) ? (type.schema.required as string[]) : []);
const byName = BUILTIN_EVENT_TYPES.map((type) => [type.name, type] as const);
const requiredFields = BUILTIN_EVENT_TYPES.flatMap((type) => requiredOf(type).map((field) => [type.name, field, type] as const));

describe('built-in event catalog', () => {
  it('has at least 40 types, with unique names', () => {
    expect(BUILTIN_EVENT_TYPES.length).toBeGreaterThanOrEqual(40);
    const names = BUILTIN_EVENT_TYPES.map((type) => type.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('covers every family', () => {
    expect([...new Set(BUILTIN_EVENT_TYPES.map((type) => type.group))]).toEqual(expect.arrayContaining(FAMILIES));
  });

  it('finds a type by name, and nothing for an unknown name', () => {
    expect(builtinEventType('ticket.created')?.group).toBe('tickets');
    expect(builtinEventType('delivery.exhausted')?.group).toBe('hookline');
    expect(builtinEventType('ticket.exploded')).toBeUndefined();
  });

  it.each(byName)('%s: has a well-formed name and schema header', (name, type) => {
    expect(name).toMatch(NAME);
    expect(type.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(type.schema.title).toBe(name);
    expect(type.schema.type).toBe('object');
    expect(type.schema.additionalProperties).toBe(true);
    if (!describesOnly(type)) expect(requiredOf(type).length).toBeGreaterThan(0);
    expect(type.description.length).toBeGreaterThan(0);
  });

  it.each(byName)('%s: schema compiles with createAjv() (strict)', (_name, type) => {
    expect(() => validatorOf(type)).not.toThrow();
  });

  it.each(byName)('%s: example validates against its schema', (_name, type) => {
    const validate = validatorOf(type);
    const valid = validate(type.example);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(requiredFields)('%s: example without required "%s" is refused', (_name, field, type) => {
    const example = structuredClone(type.example);
    expect(example).toHaveProperty([field]);
    delete example[field];
    expect(validatorOf(type)(example)).toBe(false);
  });

  // The headline automation: "when ticket.created and data.priority is high and data.customer.tier in [gold, platinum], post to Slack".
  it.each(byName.filter(([, type]) => type.group === 'tickets'))('%s: requires priority and customer.tier, with their values fixed', (_name, type) => {
    const properties = type.schema.properties as Record<string, { enum?: unknown; required?: unknown; properties?: Record<string, { enum?: unknown }> }>;
    expect(requiredOf(type)).toEqual(expect.arrayContaining(['priority', 'customer']));
    expect(properties.priority.enum).toEqual(['low', 'normal', 'high', 'urgent']);
    expect(properties.customer.required).toContain('tier');
    expect(properties.customer.properties?.tier.enum).toEqual(['free', 'starter', 'pro', 'gold', 'platinum', 'enterprise']);
  });
});

describe('inbound event types', () => {
  const inbound = BUILTIN_EVENT_TYPES.filter(describesOnly);

  it('cover every provider with kinds, named inbound.<provider>.<kind>', () => {
    const providers = new Set(inbound.map((t) => t.name.split('.')[1]));
    expect([...providers].sort()).toEqual(['aws_sns', 'github', 'gupshup', 'messagebird', 'meta_whatsapp', 'plivo', 'sendgrid', 'stripe', 'twilio', 'vonage']);
  });

  it.each(inbound.map((t) => [t.name, t] as const))('%s: declares every field of its example with its type, so a wrong type is refused', (_name, type) => {
    const properties = type.schema.properties as Record<string, { type?: string }>;
    expect(Object.keys(properties).sort()).toEqual(Object.keys(type.example).sort());
    const typed = Object.entries(properties).find(([, p]) => p.type === 'string');
    if (typed) expect(validatorOf(type)({ ...type.example, [typed[0]]: 12345 })).toBe(false);
  });
});
